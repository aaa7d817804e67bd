/**
 * Roost's client framework and recipes (locks, barriers, queues, leader latch, caches...).
 *
 * <p>The async client and the recipes arrive with the recipes issue; this module exists now so the
 * build layout matches DESIGN.md.
 */
package io.roost.recipes;
