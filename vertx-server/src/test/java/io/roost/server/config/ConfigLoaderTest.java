package io.roost.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        Path file = dir.resolve("roost.cfg");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void fileWithEveryKeyIsReadIntoEveryField() throws IOException {
        Path data = dir.resolve("data");
        Path log = dir.resolve("log");
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), "2\n");
        Path file = write(
                "# every key Roost reads",
                "tickTime=1000",
                "initLimit=7",
                "syncLimit=3",
                "dataDir=" + data,
                "dataLogDir=" + log,
                "clientPortAddress=0.0.0.0",
                "clientPort=2182",
                "maxClientCnxns=0",
                "minSessionTimeout=1500",
                "maxSessionTimeout=30000",
                "4lw.commands.whitelist=ruok, srvr ,mntr",
                "admin.enableServer=false",
                "admin.serverAddress=0.0.0.0",
                "admin.serverPort=9090",
                "jute.maxbuffer=4194304",
                "server.1=10.0.0.1:2888:3888",
                "server.2=10.0.0.2:2888:3888:participant",
                "server.3=[fd00::3]:2888:3888",
                "server.4=10.0.0.4:2888:3888:observer",
                "roost.ttlNodes.enabled=false",
                "roost.linearizableReads=true",
                "roost.containerCheckIntervalMs=5000",
                "snapCount=5000",
                "forceSync=no",
                "autopurge.snapRetainCount=5",
                "autopurge.purgeInterval=24   ");

        ConfigLoader.LoadResult result = ConfigLoader.loadWithWarnings(file);
        ServerConfig config = result.config();

        assertEquals(List.of(), result.warnings());
        assertEquals(1000, config.tickTime());
        assertEquals(7, config.initLimit());
        assertEquals(3, config.syncLimit());
        assertEquals(data, config.dataDir());
        assertEquals(log, config.dataLogDir());
        assertEquals("0.0.0.0", config.clientPortAddress());
        assertEquals(2182, config.clientPort());
        assertEquals(0, config.maxClientCnxns());
        assertEquals(1500, config.minSessionTimeout());
        assertEquals(30000, config.maxSessionTimeout());
        assertEquals(Set.of("ruok", "srvr", "mntr"), config.fourLetterWords());
        assertFalse(config.adminEnableServer());
        assertEquals("0.0.0.0", config.adminServerAddress());
        assertEquals(9090, config.adminServerPort());
        assertEquals(4194304, config.juteMaxBuffer());
        assertEquals(2, config.myId());
        assertEquals(List.of(
                new PeerSpec(1, "10.0.0.1", 2888, 3888, false),
                new PeerSpec(2, "10.0.0.2", 2888, 3888, false),
                new PeerSpec(3, "fd00::3", 2888, 3888, false),
                new PeerSpec(4, "10.0.0.4", 2888, 3888, true)), config.servers());
        assertFalse(config.ttlNodesEnabled());
        assertTrue(config.linearizableReads());
        assertEquals(5000, config.containerCheckIntervalMs());
        assertEquals(5000, config.snapCount());
        assertFalse(config.forceSync());
        assertEquals(5, config.autopurgeSnapRetainCount());
        assertEquals(24, config.autopurgePurgeInterval());
    }

    @Test
    void emptyFileGivesBuilderDefaultsWithSrvrOnlyAndDataUnderWorkingDirectory() throws IOException {
        ServerConfig config = ConfigLoader.load(write("# nothing set"));

        assertEquals(ServerConfig.builder().dataDir(Path.of("data").toAbsolutePath()).build(), config);
        assertEquals(Set.of("srvr"), config.fourLetterWords());
        assertTrue(config.dataDir().isAbsolute());
    }

    @Test
    void relativeDataDirResolvesAgainstWorkingDirectoryAndLogDirFollowsIt() throws IOException {
        ServerConfig config = ConfigLoader.load(write("dataDir=some/./relative/dir"));

        assertEquals(Path.of("some/relative/dir").toAbsolutePath(), config.dataDir());
        assertEquals(config.dataDir(), config.dataLogDir());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "tickTime=abc                      | tickTime",
        "tickTime=0                        | tickTime",
        "initLimit=-3                      | initLimit",
        "syncLimit=1.5                     | syncLimit",
        "clientPort=99999                  | clientPort",
        "clientPort=99999999999            | clientPort",
        "maxClientCnxns=-1                 | maxClientCnxns",
        "minSessionTimeout=90000           | minSessionTimeout",
        "maxSessionTimeout=100             | maxSessionTimeout",
        "4lw.commands.whitelist=srvr,bogus | 4lw.commands.whitelist",
        "admin.enableServer=maybe          | admin.enableServer",
        "admin.serverPort=65536            | admin.serverPort",
        "jute.maxbuffer=0                  | jute.maxbuffer",
        "roost.ttlNodes.enabled=on         | roost.ttlNodes.enabled",
        "roost.linearizableReads=1         | roost.linearizableReads",
        "roost.containerCheckIntervalMs=x  | roost.containerCheckIntervalMs",
        "snapCount=1                       | snapCount",
        "forceSync=sometimes               | forceSync",
        "autopurge.snapRetainCount=2       | autopurge.snapRetainCount",
        "autopurge.purgeInterval=-1        | autopurge.purgeInterval",
        "dataDir=                          | dataDir",
        "dataDir=~/roost                   | dataDir",
        "dataLogDir=                       | dataLogDir",
        "clientPortAddress=                | clientPortAddress",
        "server.x=10.0.0.1:2888:3888       | server.x",
        "server.0=10.0.0.1:2888:3888       | server.0",
        "server.1=10.0.0.1:2888            | server.1",
        "server.1=10.0.0.1:abc:3888        | server.1",
        "server.1=10.0.0.1:2888:3888:voter | server.1",
        "server.1=10.0.0.1:2888:3888;2181  | server.1",
        "server.1=[::1:2888:3888           | server.1",
        "dynamicConfigFile=zoo.cfg.dynamic | dynamicConfigFile",
    })
    void badValueStopsWithMessageNamingTheKey(String line, String key) throws IOException {
        Path file = write(line);

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));

        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void unknownAndRepeatedKeysAreWarningsNotErrors() throws IOException {
        Path file = write(
                "clientPort=2183",
                "tickTiem=3000",
                "standaloneEnabled=false",
                "roost.ttlNodes=true",
                "clientPort=2184");

        ConfigLoader.LoadResult result = ConfigLoader.loadWithWarnings(file);

        assertEquals(2184, result.config().clientPort());
        assertEquals(2000, result.config().tickTime());
        List<String> warnings = result.warnings();
        assertEquals(4, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("clientPort is given 2 times; the last value (2184)"), warnings.get(0));
        assertTrue(warnings.get(1).contains("tickTiem=3000 is not a key Roost knows"), warnings.get(1));
        assertTrue(warnings.get(2).contains("standaloneEnabled=false is a ZooKeeper option"), warnings.get(2));
        assertTrue(warnings.get(3).contains("roost.ttlNodes=true is not a Roost option"), warnings.get(3));
        assertEquals(result.config(), ConfigLoader.load(file));
    }

    @Test
    void wildcardWhitelistExpandsToEveryWord() throws IOException {
        ServerConfig config = ConfigLoader.load(write("4lw.commands.whitelist=*"));

        assertEquals(Set.of("ruok", "srvr", "stat", "mntr", "conf", "cons", "wchs", "isro", "envi", "dump"),
                config.fourLetterWords());
    }

    @Test
    void emptyWhitelistTurnsEveryWordOff() throws IOException {
        assertEquals(Set.of(), ConfigLoader.load(write("4lw.commands.whitelist=")).fourLetterWords());
    }

    private Path ensembleFile(Path data) throws IOException {
        Files.createDirectories(data);
        return write(
                "dataDir=" + data,
                "server.1=127.0.0.1:2888:3888",
                "server.2=127.0.0.1:2889:3889",
                "server.3=127.0.0.1:2890:3890");
    }

    @Test
    void myIdIsReadFromDataDirWhenServersAreListed() throws IOException {
        Path data = dir.resolve("node2");
        Path file = ensembleFile(data);
        Files.writeString(data.resolve("myid"), "  3 \n");

        ServerConfig config = ConfigLoader.load(file);

        assertEquals(3, config.myId());
        assertEquals(3, config.servers().size());
        assertFalse(config.standalone());
    }

    @Test
    void missingMyIdNamesMyIdAndItsPath() throws IOException {
        Path data = dir.resolve("node");
        Path file = ensembleFile(data);

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));

        assertEquals("myid", e.key());
        assertTrue(e.getMessage().contains(data.resolve("myid").toString()), e.getMessage());
    }

    @Test
    void garbledMyIdNamesMyIdAndItsPath() throws IOException {
        Path data = dir.resolve("node");
        Path file = ensembleFile(data);
        Files.writeString(data.resolve("myid"), "one\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));

        assertEquals("myid", e.key());
        assertTrue(e.getMessage().contains(data.resolve("myid").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'one'"), e.getMessage());
    }

    @Test
    void myIdNotAmongServersIsRejected() throws IOException {
        Path data = dir.resolve("node");
        Path file = ensembleFile(data);
        Files.writeString(data.resolve("myid"), "7");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));

        assertEquals("myid", e.key());
        assertTrue(e.getMessage().contains("myid=7"), e.getMessage());
        assertTrue(e.getMessage().contains("server.1, server.2, server.3"), e.getMessage());
    }

    @Test
    void standaloneFileIgnoresAnyMyIdFile() throws IOException {
        Path data = dir.resolve("solo");
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), "garbage");

        assertEquals(0, ConfigLoader.load(write("dataDir=" + data)).myId());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.cfg");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void directoryInsteadOfFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));

        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void sampleConfigShippedWithRoostLoadsWithoutWarnings() {
        // Surefire runs in the module directory; the sample lives at the repository root.
        Path sample = Path.of("..", "conf", "roost.cfg.sample");

        ConfigLoader.LoadResult result = ConfigLoader.loadWithWarnings(sample);

        assertEquals(List.of(), result.warnings());
        assertTrue(result.config().standalone());
        assertEquals(2181, result.config().clientPort());
    }
}
