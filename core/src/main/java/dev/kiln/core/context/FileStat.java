package dev.kiln.core.context;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What {@code lstat} says about one node, as far as kiln uses it: the kind and the owner-execute
 * bit for the walker, and enough to notice that a file changed (the stat cache and the change check
 * while hashing compare whole records).
 *
 * @param sizeBytes the size of a file; for other kinds whatever the filesystem reports
 * @param mtimeNanos last modification, nanoseconds since the epoch
 * @param ctimeNanos last status change, nanoseconds since the epoch; equal to {@code mtimeNanos}
 *     where the filesystem has no ctime
 * @param inode the inode number, 0 where the filesystem has none
 * @param mode Unix {@code st_mode}: the file type bits and the permission bits
 */
public record FileStat(long sizeBytes, long mtimeNanos, long ctimeNanos, long inode, int mode) {

  static final int TYPE_MASK = 0170000;
  static final int TYPE_DIRECTORY = 0040000;
  static final int TYPE_FILE = 0100000;
  static final int TYPE_SYMLINK = 0120000;
  static final int OWNER_EXECUTE = 0100;

  private static final String UNIX_ATTRIBUTES = "unix:size,lastModifiedTime,ctime,ino,mode";
  private static final FileSystem DEFAULT_FILE_SYSTEM = FileSystems.getDefault();
  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /**
   * Written out because the generated one dispatches through method handles, which a short CLI run
   * pays for 100k times before the JIT catches up.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof FileStat that
        && sizeBytes == that.sizeBytes
        && mtimeNanos == that.mtimeNanos
        && ctimeNanos == that.ctimeNanos
        && inode == that.inode
        && mode == that.mode;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sizeBytes * 31 + mtimeNanos) * 31 + Long.hashCode(inode) + mode;
  }

  public boolean isDirectory() {
    return (mode & TYPE_MASK) == TYPE_DIRECTORY;
  }

  public boolean isRegularFile() {
    return (mode & TYPE_MASK) == TYPE_FILE;
  }

  public boolean isSymbolicLink() {
    return (mode & TYPE_MASK) == TYPE_SYMLINK;
  }

  /** The one permission bit that reaches the archive and the hash. */
  public boolean ownerExecutable() {
    return (mode & OWNER_EXECUTE) != 0;
  }

  /** Reads the node itself, never what a symlink points to. */
  public static FileStat read(Path path) throws IOException {
    return read(path, hasUnixView(path.getFileSystem()));
  }

  /**
   * Reads the node itself with one {@code lstat} ({@code statx} where {@link Statx} can call it).
   *
   * @param unixView whether the filesystem offers the "unix" attribute view (Linux and macOS do);
   *     without it, inode and ctime are unknown and the mode is made up from the kind and, where
   *     available, the POSIX permissions
   */
  static FileStat read(Path path, boolean unixView) throws IOException {
    if (unixView) {
      FileStat stat = Statx.read(path);
      return stat != null ? stat : readUnixView(path);
    }
    return readBasic(path);
  }

  /**
   * The "unix" attribute view's map: everything in one {@code lstat}, at a dozen objects a call.
   */
  static FileStat readUnixView(Path path) throws IOException {
    Map<String, Object> attrs = Files.readAttributes(path, UNIX_ATTRIBUTES, NO_FOLLOW);
    return new FileStat(
        (Long) attrs.get("size"),
        nanos((FileTime) attrs.get("lastModifiedTime")),
        nanos((FileTime) attrs.get("ctime")),
        (Long) attrs.get("ino"),
        (Integer) attrs.get("mode"));
  }

  private static FileStat readBasic(Path path) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, NO_FOLLOW);
    int mode = 0;
    if (attrs.isDirectory()) {
      mode = TYPE_DIRECTORY | 0755;
    } else if (attrs.isRegularFile()) {
      mode = TYPE_FILE | 0644;
    } else if (attrs.isSymbolicLink()) {
      mode = TYPE_SYMLINK | 0777;
    }
    if (attrs.isRegularFile()
        && path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      PosixFileAttributes posix = Files.readAttributes(path, PosixFileAttributes.class, NO_FOLLOW);
      if (posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE)) {
        mode |= OWNER_EXECUTE;
      }
    }
    long mtime = nanos(attrs.lastModifiedTime());
    return new FileStat(attrs.size(), mtime, mtime, 0, mode);
  }

  static boolean hasUnixView(FileSystem fileSystem) {
    return fileSystem.supportedFileAttributeViews().contains("unix");
  }

  private static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }

  /**
   * {@code statx(2)} through the JDK's foreign function API (final in JDK 22), where the JVM allows
   * it: Linux, the default file system, native access enabled (the kiln launcher passes {@code
   * --enable-native-access=ALL-UNNAMED}). The JDK's file API reaches ctime only through the "unix"
   * attribute map, which costs a dozen objects per call and, on a warm re-hash of a 100k-file tree,
   * half of the JIT's work (bench/README.md); this reads the same kernel fields into one reused
   * buffer. The API is reached through method handles because kiln compiles for Java 21, where it
   * was a preview. Anything unexpected, a failing call included, returns null: the caller then asks
   * the JDK, which also words the errors.
   */
  static final class Statx {

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_BASIC_STATS = 0x7ff;

    /** STATX_TYPE, _MODE, _MTIME, _CTIME, _INO and _SIZE: what a FileStat holds. */
    private static final int NEEDED = 0x1 | 0x2 | 0x40 | 0x80 | 0x100 | 0x200;

    /** Offsets in struct statx (linux/stat.h), the same on every architecture. */
    private static final int MASK = 0x00;

    private static final int MODE = 0x1c;
    private static final int INODE = 0x20;
    private static final int SIZE = 0x28;
    private static final int CTIME = 0x60;
    private static final int MTIME = 0x70;
    private static final int STRUCT_BYTES = 0x100;

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final ThreadLocal<byte[]> BUFFER =
        ThreadLocal.withInitial(() -> new byte[STRUCT_BYTES]);

    /** {@code MemorySegment.ofArray(byte[])}, typed (byte[])Object; null where unavailable. */
    private static final MethodHandle SEGMENT;

    /** statx, typed (int, Object, int, int, Object)int; null where unavailable. */
    private static final MethodHandle STATX;

    static {
      MethodHandle[] handles = link();
      SEGMENT = handles[0];
      STATX = handles[1];
    }

    private Statx() {}

    static boolean available() {
      return STATX != null;
    }

    /** The node's stat, or null to ask the JDK. */
    static FileStat read(Path path) {
      if (STATX == null || path.getFileSystem() != DEFAULT_FILE_SYSTEM || !path.isAbsolute()) {
        return null;
      }
      String text = path.toString();
      if (text.indexOf('\uFFFD') >= 0) {
        // a byte that is not UTF-8 became U+FFFD in the String; only the Path still has it
        return null;
      }
      byte[] name = text.getBytes(StandardCharsets.UTF_8);
      byte[] cString = Arrays.copyOf(name, name.length + 1);
      byte[] buffer = BUFFER.get();
      int result;
      try {
        result =
            (int)
                STATX.invokeExact(
                    AT_FDCWD,
                    (Object) SEGMENT.invokeExact(cString),
                    AT_SYMLINK_NOFOLLOW,
                    STATX_BASIC_STATS,
                    (Object) SEGMENT.invokeExact(buffer));
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("statx through method handles threw " + e, e);
      }
      if (result != 0 || (u32(buffer, MASK) & NEEDED) != NEEDED) {
        return null;
      }
      try {
        return new FileStat(
            s64(buffer, SIZE),
            nanos(buffer, MTIME),
            nanos(buffer, CTIME),
            s64(buffer, INODE),
            u16(buffer, MODE));
      } catch (ArithmeticException e) {
        // a time beyond the year 2262; the JDK has its own way to squeeze it into a long
        return null;
      }
    }

    /** A struct statx_timestamp (s64 seconds, u32 nanoseconds) in nanoseconds since the epoch. */
    private static long nanos(byte[] buffer, int at) {
      return Math.addExact(
          Math.multiplyExact(s64(buffer, at), 1_000_000_000L), u32(buffer, at + 8));
    }

    private static int u16(byte[] buffer, int at) {
      int b0 = buffer[at] & 0xff;
      int b1 = buffer[at + 1] & 0xff;
      return LITTLE_ENDIAN ? b0 | b1 << 8 : b1 | b0 << 8;
    }

    private static int u32(byte[] buffer, int at) {
      int b0 = buffer[at] & 0xff;
      int b1 = buffer[at + 1] & 0xff;
      int b2 = buffer[at + 2] & 0xff;
      int b3 = buffer[at + 3] & 0xff;
      return LITTLE_ENDIAN
          ? b0 | b1 << 8 | b2 << 16 | b3 << 24
          : b3 | b2 << 8 | b1 << 16 | b0 << 24;
    }

    private static long s64(byte[] buffer, int at) {
      long low = u32(buffer, LITTLE_ENDIAN ? at : at + 4) & 0xffffffffL;
      long high = u32(buffer, LITTLE_ENDIAN ? at + 4 : at);
      return high << 32 | low;
    }

    /** Looks the API up by name (present from JDK 22); nulls where anything is missing. */
    private static MethodHandle[] link() {
      MethodHandle[] none = {null, null};
      if (Runtime.version().feature() < 22
          || !"Linux".equals(System.getProperty("os.name"))
          || !"UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))) {
        return none;
      }
      try {
        // asking first keeps the JDK from warning about a restricted call on every run
        if (!(boolean)
            Module.class.getMethod("isNativeAccessEnabled").invoke(Statx.class.getModule())) {
          return none;
        }
        Class<?> linker = Class.forName("java.lang.foreign.Linker");
        Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> symbols = Class.forName("java.lang.foreign.SymbolLookup");

        Object nativeLinker = linker.getMethod("nativeLinker").invoke(null);
        Object libc = linker.getMethod("defaultLookup").invoke(nativeLinker);
        Optional<?> statx =
            (Optional<?>) symbols.getMethod("find", String.class).invoke(libc, "statx");
        if (statx.isEmpty()) {
          return none;
        }
        Object javaInt = valueLayout.getField("JAVA_INT").get(null);
        Object address = valueLayout.getField("ADDRESS").get(null);
        Object arguments = Array.newInstance(layout, 5);
        Object[] argumentLayouts = {javaInt, address, javaInt, javaInt, address};
        for (int i = 0; i < argumentLayouts.length; i++) {
          Array.set(arguments, i, argumentLayouts[i]);
        }
        Object signature =
            descriptor
                .getMethod("of", layout, arguments.getClass())
                .invoke(null, javaInt, arguments);
        // critical: no thread state change, and heap arrays passed in place; a stat that hangs
        // (a dead network file system) then holds up the JVM's safepoints too, where the JDK's
        // own call would only hold up the walk, which waits for it all the same
        Object options = Array.newInstance(option, 1);
        Array.set(options, 0, option.getMethod("critical", boolean.class).invoke(null, true));
        MethodHandle call =
            (MethodHandle)
                linker
                    .getMethod("downcallHandle", segment, descriptor, options.getClass())
                    .invoke(nativeLinker, statx.get(), signature, options);
        MethodHandle ofArray =
            MethodHandles.publicLookup()
                .findStatic(segment, "ofArray", MethodType.methodType(segment, byte[].class));
        return new MethodHandle[] {
          ofArray.asType(MethodType.methodType(Object.class, byte[].class)),
          call.asType(
              MethodType.methodType(
                  int.class, int.class, Object.class, int.class, int.class, Object.class))
        };
      } catch (ReflectiveOperationException | RuntimeException e) {
        return none;
      }
    }
  }
}
