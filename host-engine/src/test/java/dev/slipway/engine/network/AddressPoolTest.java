package dev.slipway.engine.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressPoolTest {

    @TempDir
    Path dir;

    @Test
    void leasesAreUniqueStableAndSurviveAReload() throws IOException {
        AddressPool pool = new AddressPool(Ipv4Subnet.parse("10.9.0.0/29"), dir);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            assertTrue(seen.add(pool.lease("c" + i)));
        }
        assertEquals(pool.lease("c2"), pool.lease("c2"));
        assertThrows(IOException.class, () -> pool.lease("c5"), "a /29 has 5 addresses for containers");
        AddressPool reloaded = new AddressPool(Ipv4Subnet.parse("10.9.0.0/29"), dir);
        assertEquals(pool.leases(), reloaded.leases());
        assertThrows(IOException.class, () -> reloaded.lease("c5"));
    }

    @Test
    void aReleasedAddressIsReusedLast() throws IOException {
        AddressPool pool = new AddressPool(Ipv4Subnet.parse("10.9.0.0/28"), dir);
        int first = pool.lease("a");
        pool.lease("b");
        pool.release("a");
        assertNotEquals(first, pool.lease("c"));
        assertEquals(List.of(), leftoverTemporaryFiles());
    }

    @Test
    void retainOnlyDropsLeasesOfUnknownOwners() throws IOException {
        AddressPool pool = new AddressPool(Ipv4Subnet.parse("10.9.0.0/24"), dir);
        pool.lease("gone");
        int kept = pool.lease("kept");
        pool.retainOnly(List.of("kept"));
        assertEquals(java.util.Map.of("kept", kept), new AddressPool(Ipv4Subnet.parse("10.9.0.0/24"), dir).leases());
    }

    @Test
    void neverTheNetworkGatewayOrBroadcastAddress() throws IOException {
        Ipv4Subnet subnet = Ipv4Subnet.parse("10.9.0.0/30");
        AddressPool pool = new AddressPool(subnet, dir);
        assertEquals(Ipv4Subnet.parseAddress("10.9.0.2"), pool.lease("only"));
        assertThrows(IOException.class, () -> pool.lease("second"));
    }

    @Test
    void subnetsParseAndOverlap() {
        assertEquals("10.209.0.0/16", Ipv4Subnet.parse("10.209.0.0/16").toString());
        assertThrows(IllegalArgumentException.class, () -> Ipv4Subnet.parse("10.209.0.1/16"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Subnet.parse("10.256.0.0/16"));
        assertTrue(Ipv4Subnet.parse("10.0.0.0/8").overlaps(Ipv4Subnet.parse("10.209.3.0/24")));
        assertTrue(!Ipv4Subnet.parse("10.208.0.0/16").overlaps(Ipv4Subnet.parse("10.209.0.0/16")));
    }

    @Test
    void aPoolOverlappingAHostRouteIsFound() {
        List<HostRoutes.Route> routes = HostRoutes.parse("""
                default via 192.0.2.1 dev eth0
                192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
                10.209.0.0/16 dev slipway0 proto kernel scope link src 10.209.0.1
                local 192.0.2.2 dev eth0 table local proto kernel scope host src 192.0.2.2
                """);
        assertTrue(HostRoutes.overlapping(routes, Ipv4Subnet.parse("192.0.0.0/16"), "slipway0").isPresent());
        assertTrue(HostRoutes.overlapping(routes, Ipv4Subnet.parse("10.209.0.0/16"), "slipway0").isEmpty());
        assertTrue(HostRoutes.overlapping(routes, Ipv4Subnet.parse("10.209.0.0/16"), "other0").isPresent());
    }

    private List<Path> leftoverTemporaryFiles() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
