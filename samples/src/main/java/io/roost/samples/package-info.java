/**
 * Runnable sample programs (job scheduler, load balancer, lock demo) built on Roost's recipes.
 *
 * <p>The samples arrive with the recipes issue; this module exists now so the build layout matches
 * DESIGN.md.
 */
package io.roost.samples;
