package dev.mpq.service.worker;

import dev.mpq.service.api.UnauthorizedException;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Resolves an {@link AuthenticatedWorker} parameter from the {@code Authorization: Bearer TOKEN}
 * header; a missing or unknown token is a 401. Each authenticated call counts as a heartbeat.
 */
@Configuration(proxyBeanMethods = false)
class WorkerAuthentication implements WebMvcConfigurer, HandlerMethodArgumentResolver {

    private final WorkerRepository workers;

    WorkerAuthentication(WorkerRepository workers) {
        this.workers = workers;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == AuthenticatedWorker.class;
    }

    @Override
    public Object resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mav,
            NativeWebRequest request,
            WebDataBinderFactory binders) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ") || header.length() <= 7) {
            throw new UnauthorizedException(
                    "Send the worker token as 'Authorization: Bearer TOKEN' (issued by POST /api/devices/{id}/workers).");
        }
        return workers.authenticate(WorkerTokens.sha256(header.substring(7).trim()))
                .orElseThrow(() -> new UnauthorizedException(
                        "Unknown worker token; add a worker to the device to get a new one."));
    }
}
