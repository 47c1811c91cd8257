package dev.persona.internal.rules;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of a class-file writer for {@link RuleCode}: a constant pool, fields, and methods
 * whose code is written instruction by instruction, with forward branches to labels. Writes class
 * files of version 49, which the JVM verifies by type inference, so no stack map frames are needed.
 * Classes and descriptors can be named by {@link Class} objects, which a rename of the class
 * follows. Not thread-safe; one per class.
 */
final class ClassBytes {
  private static final int VERSION = 49;

  private final ByteArrayOutputStream pool = new ByteArrayOutputStream();
  private final DataOutputStream poolOut = new DataOutputStream(pool);
  private final Map<String, Integer> constants = new HashMap<>();
  private final List<byte[]> fields = new ArrayList<>();
  private final List<byte[]> methods = new ArrayList<>();
  private int poolSize = 1;
  private final int thisClass;
  private final int superClass;
  private final int[] interfaces;

  ClassBytes(String name, String superName, String... interfaceNames) {
    thisClass = classRef(name);
    superClass = classRef(superName);
    interfaces = new int[interfaceNames.length];
    for (int i = 0; i < interfaces.length; i++) {
      interfaces[i] = classRef(interfaceNames[i]);
    }
  }

  /** Every field and method the class refers to, in order of first reference. */
  final List<Member> members = new ArrayList<>();

  /** A field or method the class refers to; {@code owner} is an internal name. */
  record Member(boolean field, String owner, String name, String descriptor) {}

  /** Returns the internal name of {@code c}, such as {@code java/lang/String}. */
  static String name(Class<?> c) {
    return c.getName().replace('.', '/');
  }

  /** Returns the descriptor of a method returning {@code returns} and taking {@code params}. */
  static String descriptor(Class<?> returns, Class<?>... params) {
    return MethodType.methodType(returns, params).toMethodDescriptorString();
  }

  int utf8(String s) {
    return constant("U" + s, 1, out -> out.writeUTF(s));
  }

  int classRef(String internalName) {
    int name = utf8(internalName);
    return constant("C" + internalName, 1, out -> out.writeShort(name), 7);
  }

  int string(String s) {
    int utf = utf8(s);
    return constant("S" + s, 1, out -> out.writeShort(utf), 8);
  }

  int integer(int v) {
    return constant("I" + v, 1, out -> out.writeInt(v), 3);
  }

  int dbl(double v) {
    long bits = Double.doubleToRawLongBits(v);
    return constant("D" + bits, 2, out -> out.writeLong(bits), 6);
  }

  int lng(long v) {
    return constant("J" + v, 2, out -> out.writeLong(v), 5);
  }

  int classRef(Class<?> c) {
    return classRef(name(c));
  }

  int field(String owner, String name, String descriptor) {
    return member(9, owner, name, descriptor);
  }

  /** A field of {@code owner} of type {@code type}. */
  int field(Class<?> owner, String name, Class<?> type) {
    return field(name(owner), name, type.descriptorString());
  }

  int method(String owner, String name, String descriptor) {
    return member(10, owner, name, descriptor);
  }

  /** A method of {@code owner} returning {@code returns} and taking {@code params}. */
  int method(Class<?> owner, String name, Class<?> returns, Class<?>... params) {
    return method(name(owner), name, descriptor(returns, params));
  }

  private int member(int tag, String owner, String name, String descriptor) {
    if (!constants.containsKey(tag + owner + "." + name + descriptor)) {
      members.add(new Member(tag == 9, owner, name, descriptor));
    }
    int c = classRef(owner);
    int n = utf8(name);
    int d = utf8(descriptor);
    int nat =
        constant(
            "N" + name + " " + descriptor,
            1,
            out -> {
              out.writeShort(n);
              out.writeShort(d);
            },
            12);
    return constant(
        tag + owner + "." + name + descriptor,
        1,
        out -> {
          out.writeShort(c);
          out.writeShort(nat);
        },
        tag);
  }

  private interface Entry {
    void write(DataOutputStream out) throws IOException;
  }

  private int constant(String key, int slots, Entry body) {
    return constant(key, slots, body, 1);
  }

  private int constant(String key, int slots, Entry body, int tag) {
    Integer known = constants.get(key);
    if (known != null) {
      return known;
    }
    try {
      poolOut.writeByte(tag);
      body.write(poolOut);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int index = poolSize;
    poolSize += slots;
    if (poolSize > 0xFFFF) {
      throw new IllegalStateException("constant pool full");
    }
    constants.put(key, index);
    return index;
  }

  void addField(int access, String name, String descriptor) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    try {
      out.writeShort(access);
      out.writeShort(utf8(name));
      out.writeShort(utf8(descriptor));
      out.writeShort(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    fields.add(b.toByteArray());
  }

  void addMethod(int access, String name, String descriptor, Code code) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    byte[] bytes = code.bytes();
    try {
      out.writeShort(access);
      out.writeShort(utf8(name));
      out.writeShort(utf8(descriptor));
      out.writeShort(1);
      out.writeShort(utf8("Code"));
      out.writeInt(12 + bytes.length);
      out.writeShort(code.maxStack);
      out.writeShort(code.maxLocals);
      out.writeInt(bytes.length);
      out.write(bytes);
      out.writeShort(0);
      out.writeShort(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    methods.add(b.toByteArray());
  }

  byte[] toBytes() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    try {
      out.writeInt(0xCAFEBABE);
      out.writeShort(0);
      out.writeShort(VERSION);
      out.writeShort(poolSize);
      out.write(pool.toByteArray());
      out.writeShort(0x0031);
      out.writeShort(thisClass);
      out.writeShort(superClass);
      out.writeShort(interfaces.length);
      for (int i : interfaces) {
        out.writeShort(i);
      }
      out.writeShort(fields.size());
      for (byte[] f : fields) {
        out.write(f);
      }
      out.writeShort(methods.size());
      for (byte[] m : methods) {
        out.write(m);
      }
      out.writeShort(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  /** The code of one method: instructions, and branches to labels bound later. */
  static final class Code {
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final List<int[]> fixups = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    final int maxStack;
    final int maxLocals;

    Code(int maxStack, int maxLocals) {
      this.maxStack = maxStack;
      this.maxLocals = maxLocals;
    }

    int size() {
      return code.size();
    }

    Code op(int opcode) {
      code.write(opcode);
      return this;
    }

    Code op1(int opcode, int operand) {
      code.write(opcode);
      code.write(operand);
      return this;
    }

    Code op2(int opcode, int operand) {
      code.write(opcode);
      code.write(operand >>> 8);
      code.write(operand);
      return this;
    }

    /** Pushes a small int constant: an index into an array. */
    Code index(int value) {
      if (value != (short) value) {
        throw new IllegalStateException("index too large: " + value);
      }
      return op2(0x11, value);
    }

    int newLabel() {
      labels.add(-1);
      return labels.size() - 1;
    }

    void bind(int label) {
      labels.set(label, code.size());
    }

    /** A branch instruction to {@code label}, which may be bound later. */
    Code jump(int opcode, int label) {
      fixups.add(new int[] {code.size(), label});
      return op2(opcode, 0);
    }

    byte[] bytes() {
      byte[] b = code.toByteArray();
      for (int[] f : fixups) {
        int target = labels.get(f[1]);
        if (target < 0) {
          throw new IllegalStateException("unbound label");
        }
        int offset = target - f[0];
        if (offset != (short) offset) {
          throw new IllegalStateException("branch too far");
        }
        b[f[0] + 1] = (byte) (offset >>> 8);
        b[f[0] + 2] = (byte) offset;
      }
      return b;
    }
  }
}
