package org.stylegan.core.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * History of generated images for the discriminator (Shrivastava et al.; CycleGAN's ImagePool): until full,
 * every fake is stored and used; then each fake is, with probability 1/2, swapped for a random stored one.
 * Capacity 0 passes fakes through. Not thread-safe.
 */
final class ImagePool {
    private final int capacity;
    private final List<INDArray> images = new ArrayList<>();

    ImagePool(int capacity) {
        this.capacity = capacity;
    }

    /** Returns a batch of the same shape, mixing stored fakes in; draws from {@code r}. */
    INDArray query(INDArray fakes, Random r) {
        if (capacity == 0) {
            return fakes;
        }
        long n = fakes.size(0);
        INDArray[] out = new INDArray[(int) n];
        for (int i = 0; i < n; i++) {
            INDArray img = fakes.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup();
            if (images.size() < capacity) {
                images.add(img);
                out[i] = img;
            } else if (r.nextBoolean()) {
                int j = r.nextInt(capacity);
                out[i] = images.get(j);
                images.set(j, img);
            } else {
                out[i] = img;
            }
        }
        return Nd4j.concat(0, out);
    }

    int size() {
        return images.size();
    }

    /** Serialises the stored images (count, then shape and float values of each). */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(images.size());
            for (INDArray a : images) {
                long[] s = a.shape();
                out.writeInt(s.length);
                for (long d : s) {
                    out.writeLong(d);
                }
                out.writeUTF(a.dataType().name());
                double[] v = a.dup('c').data().asDouble();
                for (double d : v) {
                    out.writeDouble(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces the contents with {@link #toBytes()} output. */
    void restore(byte[] data) {
        images.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                long[] s = new long[in.readInt()];
                long len = 1;
                for (int k = 0; k < s.length; k++) {
                    s[k] = in.readLong();
                    len *= s[k];
                }
                DataType dt = DataType.valueOf(in.readUTF());
                double[] v = new double[(int) len];
                for (int k = 0; k < v.length; k++) {
                    v[k] = in.readDouble();
                }
                images.add(Nd4j.create(v, s, DataType.DOUBLE).castTo(dt));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt image pool entry in checkpoint: " + e, e);
        }
        if (images.size() > capacity) {
            throw new IllegalArgumentException("checkpoint image pool holds " + images.size()
                    + " images, the configured imagePoolSize is " + capacity);
        }
    }
}
