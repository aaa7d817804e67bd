package io.roost.bench.jmh;

import io.roost.core.proto.ACL;
import io.roost.core.proto.CheckVersionRequest;
import io.roost.core.proto.CreateRequest;
import io.roost.core.proto.GetDataRequest;
import io.roost.core.proto.GetDataResponse;
import io.roost.core.proto.Id;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.JuteOutput;
import io.roost.core.proto.MultiRequest;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Perms;
import io.roost.core.proto.Record;
import io.roost.core.proto.ReplyHeader;
import io.roost.core.proto.RequestCodec;
import io.roost.core.proto.RequestHeader;
import io.roost.core.proto.SetDataRequest;
import io.roost.core.proto.Stat;
import io.roost.core.proto.StatResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The wire codec on the frames a server handles most: a setData and a getData request (header and
 * body, as the server decodes them) and their replies (header and body, as the server encodes
 * them into a length-prefixed frame), and a three-op multi (check, setData, create). Data is 100
 * bytes, the scale rows' node size; the path is one of a 100k-node tree's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class CodecBench {
  private static final String PATH = "/bench/n54321";
  private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  private byte[] data;
  private Stat stat;
  private SetDataRequest setData;
  private GetDataRequest getData;
  private MultiRequest multi;
  private byte[] setDataFrame;
  private byte[] getDataFrame;
  private byte[] multiFrame;
  private byte[] setDataReplyFrame;
  private byte[] getDataReplyFrame;

  /** Builds the records and their encoded bodies once. */
  @Setup
  public void setUp() {
    data = new byte[100];
    Arrays.fill(data, (byte) 'x');
    stat = new Stat(0x100000005L, 0x100000123L, 1_700_000_000_000L, 1_700_000_000_500L, 7, 0, 0,
        0, data.length, 0, 0x100000005L);
    setData = new SetDataRequest(PATH, data, -1);
    getData = new GetDataRequest(PATH, true);
    multi = new MultiRequest(List.of(
        new MultiRequest.Op(OpCode.check, new CheckVersionRequest("/bench", 3)),
        new MultiRequest.Op(OpCode.setData, new SetDataRequest(PATH, data, 7)),
        new MultiRequest.Op(OpCode.create, new CreateRequest("/bench/new", data, OPEN, 0))));
    setDataFrame = body(new RequestHeader(42, OpCode.setData), setData);
    getDataFrame = body(new RequestHeader(42, OpCode.getData), getData);
    multiFrame = body(new RequestHeader(42, OpCode.multi), multi);
    setDataReplyFrame = body(new ReplyHeader(42, 0x100000124L, 0), new StatResponse(stat));
    getDataReplyFrame = body(new ReplyHeader(42, 0x100000124L, 0),
        new GetDataResponse(data, stat));
  }

  private static byte[] body(Record header, Record record) {
    JuteOutput out = new JuteOutput();
    header.write(out);
    record.write(out);
    return out.toByteArray();
  }

  private static Record decodeRequest(byte[] frame) {
    JuteInput in = new JuteInput(frame);
    RequestHeader header = RequestHeader.read(in);
    return RequestCodec.decode(header.type(), in);
  }

  private static byte[] encode(Record header, Record body) {
    JuteOutput out = JuteOutput.framed();
    header.write(out);
    body.write(out);
    return out.toFrame();
  }

  /** Server side: a setData request's header and body from its bytes. */
  @Benchmark
  public Record decodeSetDataRequest() {
    return decodeRequest(setDataFrame);
  }

  /** Client side: a setData request into a frame. */
  @Benchmark
  public byte[] encodeSetDataRequest() {
    return encode(new RequestHeader(42, OpCode.setData), setData);
  }

  /** Server side: a setData reply (header and stat) into a frame. */
  @Benchmark
  public byte[] encodeSetDataReply() {
    return encode(new ReplyHeader(42, 0x100000124L, 0), new StatResponse(stat));
  }

  /** Client side: a setData reply from its bytes. */
  @Benchmark
  public Record decodeSetDataReply() {
    JuteInput in = new JuteInput(setDataReplyFrame);
    ReplyHeader.read(in);
    return StatResponse.read(in);
  }

  /** Server side: a getData request's header and body from its bytes. */
  @Benchmark
  public Record decodeGetDataRequest() {
    return decodeRequest(getDataFrame);
  }

  /** Client side: a getData request into a frame. */
  @Benchmark
  public byte[] encodeGetDataRequest() {
    return encode(new RequestHeader(42, OpCode.getData), getData);
  }

  /** Server side: a getData reply (header, 100 bytes of data, stat) into a frame. */
  @Benchmark
  public byte[] encodeGetDataReply() {
    return encode(new ReplyHeader(42, 0x100000124L, 0), new GetDataResponse(data, stat));
  }

  /** Client side: a getData reply from its bytes. */
  @Benchmark
  public Record decodeGetDataReply() {
    JuteInput in = new JuteInput(getDataReplyFrame);
    ReplyHeader.read(in);
    return GetDataResponse.read(in);
  }

  /** Server side: a multi of check, setData and create from its bytes. */
  @Benchmark
  public Record decodeMultiRequest() {
    return decodeRequest(multiFrame);
  }

  /** Client side: the same multi into a frame. */
  @Benchmark
  public byte[] encodeMultiRequest() {
    return encode(new RequestHeader(42, OpCode.multi), multi);
  }
}
