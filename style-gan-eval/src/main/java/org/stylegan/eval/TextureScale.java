package org.stylegan.eval;

/**
 * The texture figures at one patch scale.
 *
 * <p>Both ratios are {@code D(output, style) / D(content, style)}: 0 means the output's texture at this scale is
 * the style's, 1 means it is as far from the style as the untouched photo, above 1 further away (noise, speckle
 * or artifacts the style does not have). When the content photo is itself the style (denominator 0) a ratio is 0
 * if the output is the style too and positive infinity otherwise.
 *
 * @param patchSize                 side of the patches compared, in pixels of the working size (8, 16, 32, ...)
 * @param filterBankRatio           filter-bank texture ratio, >= 0
 * @param patchRatio                patch-distribution ratio, >= 0
 * @param filterBankDistance        D_fb(output, style): mean over the filter-bank channels of the Wasserstein-1
 *                                  distance of the response distributions, in units of the style's spread of
 *                                  that channel; >= 0
 * @param contentFilterBankDistance D_fb(content, style), the same for the photo
 * @param patchDistance             D_patch(output, style): sliced Wasserstein-1 distance between the two
 *                                  distributions of mean-free 8x8 patches at this scale, in standard deviations
 *                                  of luminance; >= 0
 * @param contentPatchDistance      D_patch(content, style), the same for the photo
 */
public record TextureScale(int patchSize, double filterBankRatio, double patchRatio, double filterBankDistance,
        double contentFilterBankDistance, double patchDistance, double contentPatchDistance) {

    /** The mean of the two ratios at this scale. */
    public double meanRatio() {
        return 0.5 * (filterBankRatio + patchRatio);
    }
}
