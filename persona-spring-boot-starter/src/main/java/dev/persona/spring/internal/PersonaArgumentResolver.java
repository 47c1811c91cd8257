package dev.persona.spring.internal;

import dev.persona.Decision;
import dev.persona.spring.PersonaRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a controller method's {@link Decision} or {@link PersonaRequest} parameter the request's,
 * or null when the filter made none (an excluded path). Stateless.
 */
public final class PersonaArgumentResolver implements HandlerMethodArgumentResolver {
  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    Class<?> type = parameter.getParameterType();
    return type == Decision.class || type == PersonaRequest.class;
  }

  @Override
  public @Nullable Object resolveArgument(
      MethodParameter parameter,
      @Nullable ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      @Nullable WebDataBinderFactory binderFactory) {
    HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
    PersonaRequest persona = request == null ? null : PersonaRequest.of(request);
    if (persona == null) {
      return null;
    }
    return parameter.getParameterType() == Decision.class ? persona.decision() : persona;
  }
}
