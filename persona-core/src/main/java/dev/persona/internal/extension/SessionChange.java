package dev.persona.internal.extension;

import dev.persona.internal.session.SessionData;
import dev.persona.spi.SessionState;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A change of a session's state that always yields a state of the engine's own, so that the engine
 * can apply the same change to a store's fallback without a cast. Without side effects: a store may
 * apply it more than once.
 */
@FunctionalInterface
public interface SessionChange extends UnaryOperator<@Nullable SessionState> {

  /** Returns the next state, given the stored one or null. */
  SessionData next(@Nullable SessionState old);

  @Override
  default SessionState apply(@Nullable SessionState old) {
    return next(old);
  }
}
