package dev.slipway.api.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppsDomainTest {

    private final AppsDomain domain = new AppsDomain("localhost:8000");

    @Test
    void readsAppAndTenantWhateverThePortAndCase() {
        Optional<AppAddress> expected = Optional.of(new AppAddress("demo", "web"));
        assertEquals(expected, domain.resolve("web.demo.localhost:8000"));
        assertEquals(expected, domain.resolve("web.demo.localhost"));
        assertEquals(expected, domain.resolve("WEB.Demo.LOCALHOST:80"));
        assertEquals(expected, domain.resolve("web.demo.localhost.:8000"));
    }

    @Test
    void refusesEverythingElse() {
        for (String host : new String[] {null, "", "localhost:8000", "demo.localhost", "a.b.demo.localhost",
            ".demo.localhost", "web..localhost", "web.demo.localhost.evil.com", "web.demo.example.com",
            "web.demolocalhost", "[::1]:8000"}) {
            assertEquals(Optional.empty(), domain.resolve(host), String.valueOf(host));
        }
    }

    @Test
    void anyConfiguredDomainWorks() {
        assertEquals(Optional.of(new AppAddress("acme", "shop")),
                new AppsDomain("apps.example.com").resolve("shop.acme.apps.example.com:443"));
        assertEquals(Optional.empty(), new AppsDomain("apps.example.com").resolve("shop.acme.example.com"));
    }
}
