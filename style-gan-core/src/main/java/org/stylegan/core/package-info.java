/**
 * The style-gan facade: what a user calls. {@link org.stylegan.core.StyleTransfer} trains a style from a folder of
 * photos and a style image; {@link org.stylegan.core.StyleModel} is the trained style, saved as one file, that
 * stylizes images of any size.
 *
 * <p>May use: {@code core.train}, {@code core.net}, {@code core.internal}, and the io and losses modules. Nothing
 * in core imports this package.
 */
package org.stylegan.core;
