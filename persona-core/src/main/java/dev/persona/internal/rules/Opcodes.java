package dev.persona.internal.rules;

/** The JVM opcodes that {@link RuleCode} and {@link ConditionCode} write. */
final class Opcodes {
  private Opcodes() {}

  static final int ICONST_M1 = 0x02;
  static final int ICONST_0 = 0x03;
  static final int ICONST_1 = 0x04;
  static final int LCONST_0 = 0x09;
  static final int DCONST_0 = 0x0e;
  static final int BIPUSH = 0x10;
  static final int LDC_W = 0x13;
  static final int LDC2_W = 0x14;
  static final int ILOAD = 0x15;
  static final int LLOAD = 0x16;
  static final int DLOAD = 0x18;
  static final int ALOAD = 0x19;
  static final int IALOAD = 0x2e;
  static final int DALOAD = 0x31;
  static final int AALOAD = 0x32;
  static final int BALOAD = 0x33;
  static final int ISTORE = 0x36;
  static final int LSTORE = 0x37;
  static final int DSTORE = 0x39;
  static final int ASTORE = 0x3a;
  static final int DASTORE = 0x52;
  static final int POP = 0x57;
  static final int DUP = 0x59;
  static final int DUP2 = 0x5c;
  static final int DADD = 0x63;
  static final int DSUB = 0x67;
  static final int DMUL = 0x6b;
  static final int LUSHR = 0x7d;
  static final int IAND = 0x7e;
  static final int IOR = 0x80;
  static final int LOR = 0x81;
  static final int IXOR = 0x82;
  static final int I2D = 0x87;
  static final int L2I = 0x88;
  static final int DCMPL = 0x97;
  static final int DCMPG = 0x98;
  static final int IFEQ = 0x99;
  static final int IFNE = 0x9a;
  static final int IFLT = 0x9b;
  static final int IFGE = 0x9c;
  static final int IFGT = 0x9d;
  static final int IFLE = 0x9e;
  static final int IF_ICMPNE = 0xa0;
  static final int GOTO = 0xa7;
  static final int IRETURN = 0xac;
  static final int RETURN = 0xb1;
  static final int GETFIELD = 0xb4;
  static final int PUTFIELD = 0xb5;
  static final int INVOKEVIRTUAL = 0xb6;
  static final int INVOKESPECIAL = 0xb7;
  static final int INVOKESTATIC = 0xb8;
  static final int CHECKCAST = 0xc0;
}
