import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stylegan.examples.report.SampleGrid;
import org.stylegan.io.Images;

/**
 * Writes the captioned grids of the docs (docs/images/*.jpg) from image files, with the report's SampleGrid:
 *
 *   java -cp examples/target/style-gan-cli.jar docs/tools/Grid.java OUT.jpg CELL_HEIGHT \
 *       "caption=path" "caption=path" -- "caption=path" ...      ("--" starts a new row)
 */
public class Grid {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Grid OUT.jpg CELL_HEIGHT caption=path ... [-- caption=path ...]");
            System.exit(2);
        }
        List<List<SampleGrid.Panel>> rows = new ArrayList<>();
        List<SampleGrid.Panel> row = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--")) {
                rows.add(row);
                row = new ArrayList<>();
                continue;
            }
            int eq = args[i].indexOf('=');
            BufferedImage im = Images.read(Path.of(args[i].substring(eq + 1)));
            row.add(new SampleGrid.Panel(args[i].substring(0, eq), im));
        }
        rows.add(row);
        BufferedImage grid = SampleGrid.builder().cellHeight(Integer.parseInt(args[1])).build().compose(rows);
        Images.writeJpeg(grid, Path.of(args[0]), 0.9f);
        System.out.println("wrote " + args[0] + " (" + grid.getWidth() + "x" + grid.getHeight() + ")");
    }
}
