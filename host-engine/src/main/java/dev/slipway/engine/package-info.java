/** Slipway host engine. */
package dev.slipway.engine;
