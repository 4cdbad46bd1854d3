package dev.slipway.api.testsupport;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Makes {@link PlatformTestResources} apply to every {@code @QuarkusTest} in the module
 * ({@code restrictToAnnotatedClass = false}), so no test class repeats the annotation.
 */
@SuppressWarnings("deprecation")
@QuarkusTestResource(value = PlatformTestResources.class, restrictToAnnotatedClass = false)
public final class PlatformTestResourcesActivation {

    private PlatformTestResourcesActivation() {
    }
}
