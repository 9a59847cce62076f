package reports

import (
	"bytes"
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/qload/qload/runfolder"
)

// Chart geometry: 8 inches at 100 dpi is 800 pixels, the width of a pull-request comment; 12 pt
// text is 17 pixels there.
const (
	chartDPI       = 100
	chartWidth     = 8 * vg.Inch
	panelHeight    = 3.4 * vg.Inch
	legendWidth    = 1.9 * vg.Inch
	chartFontSize  = 11
	chartTitleSize = 13
)

// Chart is one rendered chart: its file stem (charts/NAME.png, charts/NAME.svg), its title, and
// the drawing in both formats.
type Chart struct {
	Name    string // file stem, e.g. "latency-all"
	Title   string
	Caption string // one sentence under the chart: what it shows
	PNG     []byte
	SVG     []byte
	Width   int // pixels of the PNG
	Height  int
}

// figure is a chart before rendering: panels stacked vertically that share the x axis, and one
// legend in a strip to the right of the data, never on it.
type figure struct {
	name, title, caption string
	panels               []*plot.Plot
	legend               plot.Legend
}

func newFigure(name, title, caption string) *figure {
	l := plot.NewLegend()
	l.Top, l.Left = true, true
	l.TextStyle.Font.Size = chartFontSize
	l.ThumbnailWidth = vg.Points(18)
	return &figure{name: name, title: title, caption: caption, legend: l}
}

// panel adds a panel with the given axis labels and returns it.
func (f *figure) panel(xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = chartFontSize
		a.Tick.Label.Font.Size = chartFontSize - 1
	}
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.X.Tick.Marker, p.Y.Tick.Marker = plainTicks{}, plainTicks{}
	p.Add(plotter.NewGrid())
	if len(f.panels) == 0 {
		p.Title.Text = f.title
		p.Title.TextStyle.Font.Size = chartTitleSize
	}
	f.panels = append(f.panels, p)
	return p
}

// add puts a series into the legend once per name.
func (f *figure) add(name string, t plot.Thumbnailer) { f.legend.Add(name, t) }

// render draws the figure as PNG and SVG.
func (f *figure) render() (Chart, error) {
	h := panelHeight * vg.Length(len(f.panels))
	if len(f.panels) > 1 {
		h = panelHeight * vg.Length(len(f.panels)) * 0.8
	}
	img := vgimg.NewWith(vgimg.UseWH(chartWidth, h), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	f.draw(draw.New(img))
	var pngBuf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&pngBuf); err != nil {
		return Chart{}, fmt.Errorf("rendering chart %s as PNG: %w", f.name, err)
	}
	svg := vgsvg.NewWith(vgsvg.UseWH(chartWidth, h))
	f.draw(draw.New(svg))
	var svgBuf bytes.Buffer
	if _, err := svg.WriteTo(&svgBuf); err != nil {
		return Chart{}, fmt.Errorf("rendering chart %s as SVG: %w", f.name, err)
	}
	b := img.Image().Bounds()
	return Chart{Name: f.name, Title: f.title, Caption: f.caption, PNG: pngBuf.Bytes(), SVG: svgBuf.Bytes(),
		Width: b.Dx(), Height: b.Dy()}, nil
}

func (f *figure) draw(dc draw.Canvas) {
	if svgc, ok := dc.Canvas.(*vgsvg.Canvas); ok {
		// vgsvg has no background: paint one so the chart reads on a dark page too.
		w, h := svgc.Size()
		dc.SetColor(color.White)
		dc.Fill(vg.Rectangle{Max: vg.Point{X: w, Y: h}}.Path())
	}
	data := draw.Crop(dc, 0, -legendWidth, 0, 0)
	tiles := draw.Tiles{Rows: len(f.panels), Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4),
		PadLeft: vg.Points(4), PadRight: vg.Points(8), PadY: vg.Points(10)}
	rows := make([][]*plot.Plot, len(f.panels))
	for i, p := range f.panels {
		rows[i] = []*plot.Plot{p}
	}
	canvases := plot.Align(rows, tiles, data)
	for i, p := range f.panels {
		p.Draw(canvases[i][0])
	}
	leg := draw.Crop(dc, dc.Max.X-legendWidth, 0, 0, -vg.Points(28))
	leg.Min.X = dc.Max.X - legendWidth + vg.Points(4)
	f.legend.Draw(leg)
}

// Colours: one per outcome class and one per percentile, the same in every chart.
var (
	percentileColors = []color.Color{
		color.RGBA{0x1f, 0x77, 0xb4, 0xff}, // p50
		color.RGBA{0x2c, 0xa0, 0x2c, 0xff}, // p90
		color.RGBA{0xff, 0x7f, 0x0e, 0xff}, // p99
		color.RGBA{0xd6, 0x27, 0x28, 0xff}, // p99.9
		color.RGBA{0x44, 0x44, 0x44, 0xff}, // max
	}
	palette = []color.Color{
		color.RGBA{0x1f, 0x77, 0xb4, 0xff},
		color.RGBA{0x2c, 0xa0, 0x2c, 0xff},
		color.RGBA{0x94, 0x67, 0xbd, 0xff},
		color.RGBA{0x17, 0xbe, 0xcf, 0xff},
		color.RGBA{0xbc, 0xbd, 0x22, 0xff},
		color.RGBA{0x8c, 0x56, 0x4b, 0xff},
		color.RGBA{0xff, 0x7f, 0x0e, 0xff},
		color.RGBA{0xd6, 0x27, 0x28, 0xff},
		color.RGBA{0xe3, 0x77, 0xc2, 0xff},
		color.RGBA{0x7f, 0x7f, 0x7f, 0xff},
		color.RGBA{0x00, 0x00, 0x00, 0xff},
	}
)

// classColor is the colour of an outcome class (or of AllTag), the same in every chart.
// unexpectedColor draws the answers of another class than expected (dashed, black).
var unexpectedColor color.Color = color.Black

func classColor(tag string) color.Color {
	if tag == AllTag {
		return palette[10]
	}
	for i, c := range runfolder.Classes {
		if string(c) == tag {
			return palette[i%10]
		}
	}
	return palette[9]
}

// colorOf gives series i of a chart its colour.
func colorOf(i int) color.Color { return palette[i%len(palette)] }

// line adds a line of points to p, in the legend under name (when name is not empty).
func (f *figure) line(p *plot.Plot, name string, xys plotter.XYs, c color.Color, dashed bool) error {
	if len(xys) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return fmt.Errorf("chart %s: series %s: %w", f.name, name, err)
	}
	l.LineStyle.Color = c
	l.LineStyle.Width = vg.Points(1.6)
	if dashed {
		l.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	p.Add(l)
	if name != "" {
		f.add(name, l)
	}
	return nil
}

// points adds a scatter of points to p.
func (f *figure) points(p *plot.Plot, name string, xys plotter.XYs, c color.Color, shape draw.GlyphDrawer) error {
	if len(xys) == 0 {
		return nil
	}
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return fmt.Errorf("chart %s: series %s: %w", f.name, name, err)
	}
	s.GlyphStyle.Color = c
	s.GlyphStyle.Radius = vg.Points(2.2)
	if shape != nil {
		s.GlyphStyle.Shape = shape
	}
	p.Add(s)
	if name != "" {
		f.add(name, s)
	}
	return nil
}

// gappedLine adds a line that breaks where the series has no point for more than one step
// (an interval without requests has no percentiles: bridging it would draw data that is not
// there).
func (f *figure) gappedLine(p *plot.Plot, name string, xys plotter.XYs, c color.Color, dashed bool, step float64) error {
	start := 0
	for i := 1; i <= len(xys); i++ {
		if i < len(xys) && xys[i].X-xys[i-1].X <= step*1.5 {
			continue
		}
		seg := xys[start:i]
		start = i
		var err error
		if len(seg) == 1 { // a lone interval: a point, so that it shows
			err = f.points(p, name, seg, c, draw.CircleGlyph{})
		} else {
			err = f.line(p, name, seg, c, dashed)
		}
		if err != nil {
			return err
		}
		name = "" // in the legend once
	}
	return nil
}
