package dev.slipway.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineConfigTest {

    @Test
    void withoutApiTheEngineRunsAlone() {
        assertNull(EngineConfig.parse(new String[] {"--socket", "/tmp/e.sock"}, Map.of()).agent());
    }

    @Test
    void agentFlags() {
        EngineConfig c = EngineConfig.parse(new String[] {"--api", "http://127.0.0.1:8080/", "--join-token=sjt_x",
                "--name", "rack-2", "--advertise", "192.0.2.7"}, Map.of());
        assertEquals("http://127.0.0.1:8080", c.agent().api().toString());
        assertEquals("sjt_x", c.agent().joinToken());
        assertEquals("rack-2", c.agent().name());
        assertEquals("192.0.2.7", c.agent().advertise());
        assertNull(EngineConfig.parse(new String[] {"--api", "https://api.example"}, Map.of()).agent().joinToken());
    }

    @Test
    void badAgentFlagsSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineConfig.parse(
                new String[] {"--name", "w1"}, Map.of())).getMessage().contains("need --api"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineConfig.parse(
                new String[] {"--api", "ftp://x"}, Map.of())).getMessage().startsWith("--api:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineConfig.parse(
                new String[] {"--api", "http://x", "--name", "bad name"}, Map.of())).getMessage().startsWith("--name:"));
        for (String address : new String[] {"worker-3.example.com", "0.0.0.0", "10.0.0", "::1"}) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineConfig.parse(
                    new String[] {"--api", "http://x", "--advertise", address}, Map.of())).getMessage()
                    .startsWith("--advertise:"), address);
        }
    }
}
