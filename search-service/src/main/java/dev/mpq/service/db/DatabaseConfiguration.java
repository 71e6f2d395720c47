package dev.mpq.service.db;

import com.zaxxer.hikari.HikariDataSource;
import dev.mpq.service.MpqProperties;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The one DataSource of the service: the external PostgreSQL named by {@code MPQ_DB_URL}, or the
 * embedded one under {@code MPQ_HOME}. The embedded server is a bean that the DataSource depends
 * on, so it stops after the pool is closed.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    @Conditional(EmbeddedWanted.class)
    EmbeddedDatabase embeddedDatabase(MpqProperties properties) {
        return EmbeddedDatabase.start(properties.home());
    }

    @Bean
    @Conditional(EmbeddedWanted.class)
    DataSource embeddedDataSource(EmbeddedDatabase database) {
        return pool(database.jdbcUrl(), database.user(), null);
    }

    @Bean
    @Conditional(ExternalWanted.class)
    DataSource externalDataSource(MpqProperties properties) {
        MpqProperties.Db db = properties.db();
        return pool(db.url(), db.user(), db.password());
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        if (StringUtils.hasText(user)) {
            pool.setUsername(user);
        }
        if (StringUtils.hasText(password)) {
            pool.setPassword(password);
        }
        pool.setPoolName("mpq");
        pool.setMaximumPoolSize(10);
        pool.setConnectionTimeout(10_000); // fail fast at shutdown, when the embedded server may stop first
        return pool;
    }

    static final class EmbeddedWanted implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("mpq.db.url"));
        }
    }

    static final class ExternalWanted implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return StringUtils.hasText(context.getEnvironment().getProperty("mpq.db.url"));
        }
    }
}
