/**
 * Pretrained styles: {@link org.stylegan.models.PretrainedStyles} lists and loads the styles shipped on the class
 * path; a {@link org.stylegan.models.StyleCatalog} is such a catalog (the class path's or a folder's), a
 * {@link org.stylegan.models.PretrainedStyle} one entry (model, checkpoint to fine-tune from, style image,
 * thumbnail), described by its immutable {@link org.stylegan.models.StyleManifest} (recipe, figures, checksums).
 *
 * <p>May use: style-gan-core's facade and config ({@code StyleModel}, {@code TrainerConfig}) and io's image
 * reading. Never {@code org.stylegan.models.build}, which builds entries on top of this package.
 */
package org.stylegan.models;
