package io.roost.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerConfigTest {

    private static final List<PeerSpec> THREE = List.of(
            new PeerSpec(1, "127.0.0.1", 2888, 3888, false),
            new PeerSpec(2, "127.0.0.1", 2889, 3889, false),
            new PeerSpec(3, "127.0.0.1", 2890, 3890, false));

    @Test
    void embeddedDefaultIsStandaloneOnLoopback2181WithDataInDotData() {
        ServerConfig config = ServerConfig.defaults();

        assertEquals(2000, config.tickTime());
        assertEquals(10, config.initLimit());
        assertEquals(5, config.syncLimit());
        assertEquals(Path.of("data"), config.dataDir());
        assertEquals(config.dataDir(), config.dataLogDir());
        assertEquals("127.0.0.1", config.clientPortAddress());
        assertEquals(2181, config.clientPort());
        assertEquals(60, config.maxClientCnxns());
        assertEquals(4000, config.minSessionTimeout());
        assertEquals(40000, config.maxSessionTimeout());
        assertEquals(Set.of("ruok", "srvr", "stat", "mntr", "conf", "isro"), config.fourLetterWords());
        assertTrue(config.adminEnableServer());
        assertEquals("127.0.0.1", config.adminServerAddress());
        assertEquals(8080, config.adminServerPort());
        assertEquals(1048575, config.juteMaxBuffer());
        assertEquals(0, config.myId());
        assertEquals(List.of(), config.servers());
        assertTrue(config.standalone());
        assertTrue(config.ttlNodesEnabled());
        assertEquals(60000, config.containerCheckIntervalMs());
        assertEquals(100000, config.snapCount());
        assertTrue(config.forceSync());
        assertEquals(3, config.autopurgeSnapRetainCount());
        assertEquals(0, config.autopurgePurgeInterval());
    }

    @Test
    void builderWhitelistDefaultsToSrvrOnlyAsInZooKeeper() {
        ServerConfig config = ServerConfig.builder().build();

        assertEquals(Set.of("srvr"), config.fourLetterWords());
        assertEquals(ServerConfig.defaults().toBuilder().fourLetterWords(Set.of("srvr")).build(), config);
    }

    @Test
    void sessionTimeoutsFollowTickTimeUnlessSet() {
        ServerConfig derived = ServerConfig.builder().tickTime(500).build();
        assertEquals(1000, derived.minSessionTimeout());
        assertEquals(10000, derived.maxSessionTimeout());

        ServerConfig explicit = ServerConfig.builder().tickTime(500).minSessionTimeout(700).maxSessionTimeout(900).build();
        assertEquals(700, explicit.minSessionTimeout());
        assertEquals(900, explicit.maxSessionTimeout());

        ServerConfig reset = explicit.toBuilder().minSessionTimeout(-1).maxSessionTimeout(-1).build();
        assertEquals(1000, reset.minSessionTimeout());
        assertEquals(10000, reset.maxSessionTimeout());
    }

    @Test
    void toBuilderKeepsEverythingAndRederivesDefaultedValues() {
        ServerConfig config = ServerConfig.builder()
                .tickTime(1000).dataDir(Path.of("/srv/roost")).clientPort(0).myId(2).servers(THREE).build();

        assertEquals(config, config.toBuilder().build());

        ServerConfig slower = config.toBuilder().tickTime(3000).dataDir(Path.of("/srv/other")).build();
        assertEquals(6000, slower.minSessionTimeout());
        assertEquals(60000, slower.maxSessionTimeout());
        assertEquals(Path.of("/srv/other"), slower.dataLogDir());

        ServerConfig separateLog = config.toBuilder().dataLogDir(Path.of("/fast/log")).build();
        assertEquals(Path.of("/fast/log"), separateLog.toBuilder().dataDir(Path.of("/x")).build().dataLogDir());
    }

    @Test
    void ephemeralPortsAreAllowedForTests() {
        ServerConfig config = ServerConfig.builder().clientPort(0).adminServerPort(0).build();

        assertEquals(0, config.clientPort());
        assertEquals(0, config.adminServerPort());
    }

    @Test
    void collectionsCannotBeChangedAfterBuild() {
        ServerConfig config = ServerConfig.builder().myId(1).servers(THREE).build();

        assertThrows(UnsupportedOperationException.class, () -> config.servers().clear());
        assertThrows(UnsupportedOperationException.class, () -> config.fourLetterWords().add("dump"));
    }

    @Test
    void serversAreOrderedByIdAndWildcardWhitelistExpands() {
        ServerConfig config = ServerConfig.builder()
                .myId(3).servers(List.of(THREE.get(2), THREE.get(0), THREE.get(1)))
                .fourLetterWords(Set.of("*")).build();

        assertEquals(THREE, config.servers());
        assertEquals(ServerConfig.ALL_FOUR_LETTER_WORDS, config.fourLetterWords());
        assertFalse(config.standalone());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("tickTime", "0", b -> b.tickTime(0)),
                bad("initLimit", "0", b -> b.initLimit(0)),
                bad("syncLimit", "-1", b -> b.syncLimit(-1)),
                bad("dataDir", "", b -> b.dataDir(null)),
                bad("clientPortAddress", "", b -> b.clientPortAddress(" ")),
                bad("clientPort", "99999", b -> b.clientPort(99999)),
                bad("clientPort", "-1", b -> b.clientPort(-1)),
                bad("maxClientCnxns", "-1", b -> b.maxClientCnxns(-1)),
                bad("minSessionTimeout", "0", b -> b.minSessionTimeout(0)),
                bad("maxSessionTimeout", "3000", b -> b.minSessionTimeout(5000).maxSessionTimeout(3000)),
                bad("minSessionTimeout", "50000", b -> b.minSessionTimeout(50000)),
                bad("4lw.commands.whitelist", "rouk", b -> b.fourLetterWords(Set.of("srvr", "rouk"))),
                bad("admin.serverAddress", "", b -> b.adminServerAddress("")),
                bad("admin.serverPort", "70000", b -> b.adminServerPort(70000)),
                bad("admin.serverPort", "2181", b -> b.adminServerPort(2181)),
                bad("jute.maxbuffer", "0", b -> b.juteMaxBuffer(0)),
                bad("myid", "3", b -> b.myId(3)),
                bad("myid", "4", b -> b.myId(4).servers(THREE)),
                bad("roost.containerCheckIntervalMs", "0", b -> b.containerCheckIntervalMs(0)),
                bad("snapCount", "1", b -> b.snapCount(1)),
                bad("autopurge.snapRetainCount", "2", b -> b.autopurgeSnapRetainCount(2)),
                bad("autopurge.purgeInterval", "-1", b -> b.autopurgePurgeInterval(-1)),
                bad("tickTime", "200000000", b -> b.tickTime(200_000_000)));
    }

    private static Arguments bad(String key, String value, UnaryOperator<ServerConfig.Builder> change) {
        return Arguments.of(key, value, change);
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void badValueStopsWithMessageNamingTheKeyAndValue(String key, String value,
            UnaryOperator<ServerConfig.Builder> change) {
        ServerConfig.Builder builder = change.apply(ServerConfig.builder());

        ConfigException e = assertThrows(ConfigException.class, builder::build);

        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void portMessageSaysWhatIsAllowed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.builder().clientPort(99999).build());

        assertTrue(e.getMessage().startsWith("clientPort=99999 is not a port number (1-65535"), e.getMessage());
    }

    @Test
    void derivedSessionTimeoutIsExplainedWhenOnlyOneSideIsSet() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ServerConfig.builder().maxSessionTimeout(3000).build());

        assertEquals("maxSessionTimeout", e.key());
        assertTrue(e.getMessage().contains("minSessionTimeout=4000 (2 x tickTime"), e.getMessage());
    }

    @Test
    void serverIdsStopAt254WhileTtlNodesAreEnabled() {
        List<PeerSpec> high = List.of(new PeerSpec(255, "10.0.0.1", 2888, 3888, false));

        ConfigException e = assertThrows(ConfigException.class,
                () -> ServerConfig.builder().myId(255).servers(high).build());
        assertEquals("server.255", e.key());
        assertTrue(e.getMessage().contains("roost.ttlNodes.enabled"), e.getMessage());

        assertEquals(255, ServerConfig.builder().ttlNodesEnabled(false).myId(255).servers(high).build().myId());
    }

    @Test
    void serverListsThatCannotFormAQuorumAreRejected() {
        List<PeerSpec> twice = List.of(THREE.get(0), new PeerSpec(1, "10.0.0.9", 2888, 3888, false));
        assertEquals("server.1",
                assertThrows(ConfigException.class, () -> ServerConfig.builder().myId(1).servers(twice).build()).key());

        List<PeerSpec> clash = List.of(THREE.get(0), new PeerSpec(2, "127.0.0.1", 3888, 4888, false));
        ConfigException portClash = assertThrows(ConfigException.class,
                () -> ServerConfig.builder().myId(1).servers(clash).build());
        assertEquals("server.2", portClash.key());
        assertTrue(portClash.getMessage().contains("127.0.0.1:3888"), portClash.getMessage());

        List<PeerSpec> observers = List.of(new PeerSpec(1, "10.0.0.1", 2888, 3888, true));
        ConfigException noVoters = assertThrows(ConfigException.class,
                () -> ServerConfig.builder().myId(1).servers(observers).build());
        assertTrue(noVoters.getMessage().contains("observer"), noVoters.getMessage());
    }

    @Test
    void peerSpecRejectsBadPortsAndHosts() {
        assertEquals("server.1", assertThrows(ConfigException.class,
                () -> new PeerSpec(1, "h", 0, 3888, false)).key());
        assertEquals("server.2", assertThrows(ConfigException.class,
                () -> new PeerSpec(2, " ", 2888, 3888, false)).key());
        assertEquals("server.0", assertThrows(ConfigException.class,
                () -> new PeerSpec(0, "h", 2888, 3888, false)).key());
        assertEquals("server.3", assertThrows(ConfigException.class,
                () -> new PeerSpec(3, "h", 2888, 2888, false)).key());
        assertEquals("[::1]:2888:3888:observer", new PeerSpec(4, "::1", 2888, 3888, true).toConfigValue());
    }

    @Test
    void whitelistParsingTrimsIgnoresCaseAndRejectsUnknownWords() {
        assertEquals(Set.of("ruok", "srvr"), ServerConfig.parseFourLetterWords(" SRVR , ruok,"));
        assertEquals(ServerConfig.ALL_FOUR_LETTER_WORDS, ServerConfig.parseFourLetterWords("srvr, *"));
        assertEquals(Set.of(), ServerConfig.parseFourLetterWords(""));

        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.parseFourLetterWords("srvr,wchc"));
        assertEquals("4lw.commands.whitelist", e.key());
        assertTrue(e.getMessage().contains("'wchc'"), e.getMessage());
    }
}
