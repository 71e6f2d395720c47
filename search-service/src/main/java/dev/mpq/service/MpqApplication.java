package dev.mpq.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The MPQ service: REST API, job runner and dashboard over PostgreSQL. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class MpqApplication {

    public static ConfigurableApplicationContext start(String... args) {
        return SpringApplication.run(MpqApplication.class, args);
    }

    public static void main(String[] args) {
        start(args);
    }
}
