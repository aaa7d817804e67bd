package io.roost.core.proto;

/** ACL permission bits, combined with bitwise OR in {@link ACL#perms()}. */
public final class Perms {

    /** May read data and list children. */
    public static final int READ = 1;
    /** May set data. */
    public static final int WRITE = 2;
    /** May create children. */
    public static final int CREATE = 4;
    /** May delete children. */
    public static final int DELETE = 8;
    /** May set the ACL. */
    public static final int ADMIN = 16;
    /** All of the above. */
    public static final int ALL = READ | WRITE | CREATE | DELETE | ADMIN;

    private Perms() {
    }
}
