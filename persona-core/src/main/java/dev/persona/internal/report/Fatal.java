package dev.persona.internal.report;

/**
 * Which throwables of custom code the engine does not take as a failure of that code: those after
 * which the JVM may not work as it should ({@link VirtualMachineError}, such as {@link
 * OutOfMemoryError} or {@link InternalError}, but not {@link StackOverflowError}, which leaves the
 * stack unwound) and a thread being stopped ({@link ThreadDeath}). They are thrown again; every
 * other {@link Error} ({@link AssertionError}, {@link LinkageError} such as {@link
 * NoSuchMethodError} or {@link ExceptionInInitializerError}, Kotlin's {@code NotImplementedError})
 * is a failure of the extension, like a {@link RuntimeException}. Thread-safe: no state.
 */
public final class Fatal {
  private Fatal() {}

  /** Returns whether {@code t} is thrown on rather than taken as a failure of custom code. */
  public static boolean isFatal(Throwable t) {
    return (t instanceof VirtualMachineError && !(t instanceof StackOverflowError))
        || t instanceof ThreadDeath;
  }

  /** Throws {@code t} if it {@linkplain #isFatal is fatal}; else returns. */
  public static void rethrowIfFatal(Throwable t) {
    if (isFatal(t)) {
      throw (Error) t;
    }
  }
}
