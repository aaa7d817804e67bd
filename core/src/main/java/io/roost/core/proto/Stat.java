package io.roost.core.proto;

/**
 * Node metadata, as returned by most read and write ops.
 *
 * @param czxid zxid of the create
 * @param mzxid zxid of the last data change
 * @param ctime creation time, ms since the epoch
 * @param mtime last data change time, ms since the epoch
 * @param version number of data changes
 * @param cversion number of child list changes
 * @param aversion number of ACL changes
 * @param ephemeralOwner owning session id for ephemerals, else 0
 * @param dataLength length of the data
 * @param numChildren number of children
 * @param pzxid zxid of the last child list change
 */
public record Stat(long czxid, long mzxid, long ctime, long mtime, int version, int cversion, int aversion, long ephemeralOwner, int dataLength, int numChildren, long pzxid) implements Record {

    /**
     * Reads one {@code Stat} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static Stat read(JuteInput in) {
        long czxid = in.readLong();
        long mzxid = in.readLong();
        long ctime = in.readLong();
        long mtime = in.readLong();
        int version = in.readInt();
        int cversion = in.readInt();
        int aversion = in.readInt();
        long ephemeralOwner = in.readLong();
        int dataLength = in.readInt();
        int numChildren = in.readInt();
        long pzxid = in.readLong();
        return new Stat(czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength, numChildren, pzxid);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeLong(czxid);
        out.writeLong(mzxid);
        out.writeLong(ctime);
        out.writeLong(mtime);
        out.writeInt(version);
        out.writeInt(cversion);
        out.writeInt(aversion);
        out.writeLong(ephemeralOwner);
        out.writeInt(dataLength);
        out.writeInt(numChildren);
        out.writeLong(pzxid);
    }
}
