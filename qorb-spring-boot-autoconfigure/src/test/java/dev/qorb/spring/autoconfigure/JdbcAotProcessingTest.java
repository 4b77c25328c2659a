package dev.qorb.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qorb.spring.autoconfigure.jdbc.QorbJdbcAutoConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.InputStreamSource;

/** Spring's AOT processing writes the JDBC pools' beans out as code. */
class JdbcAotProcessingTest {

    /**
     * A JDBC pool's connector and DataSource are factory-method beans too, which AOT processing
     * writes out as calls of the factory (an instance supplier would fail it). Only the code is
     * checked, here, outside {@link AotProcessingTest}'s forked class loader, where DriverManager
     * would refuse the application class loader's JDBC driver.
     */
    @Test
    void theJdbcPoolBeansAreWrittenAsCode() throws IOException {
        GenericApplicationContext buildTime = new GenericApplicationContext();
        buildTime.setEnvironment(environment(Map.of("qorb.pools.reports.resolver.fixed.addresses",
                "127.0.0.1:1", "qorb.pools.reports.jdbc.url-template", "jdbc:postgresql://{host}:{port}/reports")));
        AnnotationConfigUtils.registerAnnotationConfigProcessors(buildTime);
        buildTime.registerBean(QorbJdbcAutoConfiguration.class);
        buildTime.registerBean(QorbAutoConfiguration.class);
        TestGenerationContext generation = new TestGenerationContext();
        new ApplicationContextAotGenerator().processAheadOfTime(buildTime, generation);
        generation.writeGeneratedContent();
        StringBuilder code = new StringBuilder();
        for (InputStreamSource file : generation.getGeneratedFiles().getGeneratedFiles(GeneratedFiles.Kind.SOURCE)
                .values()) {
            try (InputStream in = file.getInputStream()) {
                code.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(code).contains("\"qorbConnector.reports\"", "\"qorbDataSource.reports\"",
                "forFactoryMethod(JdbcPoolBeans.class, \"connector\", String.class)",
                "forFactoryMethod(JdbcPoolBeans.class, \"dataSource\", String.class)");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
