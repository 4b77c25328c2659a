package dev.qorb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            FATAL: connection to jdbc:postgresql://db:5432/app?user=app&password=hunter2&ssl=true refused | FATAL: connection to jdbc:postgresql://db:5432/app?user=app&password=******&ssl=true refused
            cannot open redis://app:s3cret@cache:6379/0                                                | cannot open redis://app:******@cache:6379/0
            jdbc:sqlserver://db;user=sa;password=hunter2;encrypt=true                                   | jdbc:sqlserver://db;user=sa;password=******;encrypt=true
            FixedResolver[https://registry/api?token=abc123&zone=eu]                                   | FixedResolver[https://registry/api?token=******&zone=eu]
            {"client_secret": "xyz", "id": 3}                                                          | {"client_secret": "******", "id": 3}
            Authorization: Bearer eyJhbGciOi.x.y rejected                                              | Authorization: Bearer ****** rejected
            api_key=K1 access-token=T2 sslKey=/etc/k                                                   | api_key=****** access-token=****** sslKey=******
            aws.credentials: AKIA123                                                                   | aws.credentials: ******
            Connection refused: connect                                                                | Connection refused: connect
            FATAL: password authentication failed for user "app"                                       | FATAL: password authentication failed for user "app"
            """)
    void masksLikelySecretsAndLeavesTheRestAlone(String text, String masked) {
        assertThat(Secrets.mask(text)).isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null", "''"})
    void emptyTextStaysAsItIs(String text) {
        assertThat(Secrets.mask(text)).isEqualTo(text);
    }
}
