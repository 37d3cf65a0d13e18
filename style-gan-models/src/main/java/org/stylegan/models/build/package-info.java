/**
 * Building catalog entries: {@link org.stylegan.models.build.StylePackager} turns a finished training run (model,
 * checkpoint, style image, recipe, figures) into an entry of a {@link org.stylegan.models.StyleCatalog} folder, the
 * tool behind {@code style-gan-models/retrain.sh}. Not needed to use pretrained styles.
 *
 * <p>May use: {@code org.stylegan.models}, style-gan-core and io; nothing in {@code org.stylegan.models} uses this
 * package.
 */
package org.stylegan.models.build;
