/**
 * Nodes a client keeps in place: {@link io.roost.recipes.nodes.PersistentNode} re-creates its
 * node after a deletion or a lost session until closed. See docs/recipes.md.
 */
package io.roost.recipes.nodes;
