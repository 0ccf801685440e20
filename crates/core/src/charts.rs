//! Charts drawn by the core with `plotters` as SVG (and rasterised to PNG with
//! `resvg` and an embedded DejaVu Sans, so exports look the same everywhere):
//! net worth over time (optionally stacked by asset class), allocation bars, and an
//! asset's value history. Labels and numbers follow the user's language.
//!
//! Plot coordinates are `f64`: they are pixels, not money. The amounts shown in the
//! UI's tooltip come from the exact decimals returned alongside the SVG.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::analytics::{Breakdown, Series, UNCLASSIFIED, UNCLASSIFIED_LABELS};
use crate::error::{Error, Result};
use crate::money::Decimal;
use crate::wealth::portfolio::{AccountKind, AssetClass, InstitutionKind};
use crate::wealth::values::ValuePoint;

/// Language of labels and number formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// French: `1 234,56 €`, `janv. 2024`.
    Fr,
    /// English: `€1,234.56`, `Jan 2024`.
    En,
}

impl Lang {
    /// From a BCP 47 tag such as `fr-FR` or `en-GB`.
    pub fn from_locale(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }
}

/// Size, language and translated labels (stack keys such as `equity` → "Actions").
#[derive(Clone, Debug, Deserialize)]
pub struct ChartOptions {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Language.
    pub lang: Lang,
    /// Display names for keys; a missing key is shown as is.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// What to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Net worth line.
    Networth,
    /// Net worth stacked by asset class.
    NetworthByClass,
    /// Allocation bars.
    Allocation,
    /// One asset's history.
    AssetHistory,
}

/// A chart the UI asks for. Missing dates and steps take the defaults below; the
/// size is clamped to what the app can show.
#[derive(Clone, Debug, Deserialize, TS)]
pub struct ChartRequest {
    /// What to draw.
    pub kind: ChartKind,
    /// First date of a line chart (default: the first value, or a year before `to`).
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<NaiveDate>,
    /// Last date of a line chart, or the date of an allocation (default: today).
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<NaiveDate>,
    /// Sampling of a line chart (default: monthly).
    #[serde(default)]
    #[ts(optional)]
    pub step: Option<crate::analytics::Step>,
    /// Grouping of an allocation (default: by class).
    #[serde(default)]
    #[ts(optional)]
    pub by: Option<crate::analytics::BreakdownBy>,
    /// The asset of an asset history (required for that kind).
    #[serde(default)]
    #[ts(optional)]
    pub asset_id: Option<i64>,
    /// BCP 47 language tag of the labels.
    pub locale: String,
    /// Width in pixels (clamped to 320–2400).
    pub width: u32,
    /// Height in pixels (clamped to 160–1600).
    pub height: u32,
}

impl crate::vault::Vault {
    /// Draws the chart `req` asks for; `today` is the default end date.
    pub fn chart(&self, req: &ChartRequest, today: NaiveDate) -> Result<Chart> {
        use crate::analytics::{BreakdownBy, Step};
        let opts = ChartOptions {
            width: req.width.clamp(320, 2400),
            height: req.height.clamp(160, 1600),
            lang: Lang::from_locale(&req.locale),
            labels: BTreeMap::new(),
        };
        let to = req.to.unwrap_or(today);
        match req.kind {
            ChartKind::Networth | ChartKind::NetworthByClass => {
                // No start: the whole history (from the first value; a year without any).
                let from = match req.from {
                    Some(f) => f,
                    None => self.first_value_date()?.filter(|f| *f < to).unwrap_or(to - chrono::Duration::days(365)),
                };
                let stacked = req.kind == ChartKind::NetworthByClass;
                let series = self.net_worth_series(from, to, req.step.unwrap_or(Step::Monthly), stacked)?;
                net_worth(&series, &opts)
            }
            ChartKind::Allocation => {
                allocation(&self.breakdown(to, req.by.as_ref().unwrap_or(&BreakdownBy::Class))?, &opts)
            }
            ChartKind::AssetHistory => {
                let id = req.asset_id.ok_or_else(|| Error::invalid("asset_id", "an asset is required"))?;
                let asset = self.asset(id)?;
                asset_history(&self.values(id)?, &asset.currency, &opts)
            }
        }
    }
}

/// The plotting rectangle inside the SVG, for pointer mapping in the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
pub struct PlotArea {
    /// Left edge.
    pub left: i32,
    /// Top edge.
    pub top: i32,
    /// Width.
    pub width: i32,
    /// Height.
    pub height: i32,
}

/// A drawn chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Chart {
    /// SVG document (with a viewBox, presentation attributes only).
    pub svg: String,
    /// Plot rectangle.
    pub plot: PlotArea,
    /// SVG width.
    pub width: u32,
    /// SVG height.
    pub height: u32,
    /// Dates of the line's points, for hover (empty for bar charts).
    pub dates: Vec<NaiveDate>,
    /// Exact values at those dates.
    #[serde(serialize_with = "ser_decimals")]
    #[ts(as = "Vec<crate::money::DecimalTs>")]
    pub values: Vec<Decimal>,
}

fn ser_decimals<S: serde::Serializer>(v: &[Decimal], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|d| d.to_string()))
}

const PALETTE: [RGBColor; 10] = [
    RGBColor(0x1f, 0x6f, 0xb2),
    RGBColor(0x2e, 0x9e, 0x6b),
    RGBColor(0xe0, 0x8e, 0x1b),
    RGBColor(0x8e, 0x5a, 0xc8),
    RGBColor(0xd0, 0x4f, 0x6a),
    RGBColor(0x1c, 0xa3, 0xb8),
    RGBColor(0x9c, 0x7a, 0x3c),
    RGBColor(0x5d, 0x6d, 0x7e),
    RGBColor(0xb5, 0xbd, 0x2e),
    RGBColor(0x3f, 0x51, 0xb5),
];
/// Half the width of the longest date label ("28 sept. 2024" at 12 px), in pixels.
const DATE_LABEL_HALF_WIDTH: u32 = 44;
const LIABILITY: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
const INK: RGBColor = RGBColor(0x22, 0x2b, 0x36);
const GRID: RGBColor = RGBColor(0xe3, 0xe7, 0xec);

/// An asset class's own colour, the same in every chart (the history's band and the
/// allocation's bar for "real estate" match). The match is exhaustive: a new class
/// cannot be added without choosing its colour.
pub fn class_color(class: AssetClass) -> RGBColor {
    match class {
        AssetClass::Cash => PALETTE[0],
        AssetClass::Equity => PALETTE[1],
        AssetClass::Fund => PALETTE[2],
        AssetClass::Bond => PALETTE[3],
        AssetClass::Scpi => PALETTE[4],
        AssetClass::Crypto => PALETTE[5],
        AssetClass::RealEstate => PALETTE[6],
        AssetClass::Other | AssetClass::Vehicle | AssetClass::Collectible => PALETTE[7],
        AssetClass::PreciousMetal => PALETTE[8],
        AssetClass::PrivateEquity => PALETTE[9],
        AssetClass::Loan => LIABILITY,
    }
}

/// The colour of a series or bar: an asset class keeps its own colour; other keys
/// (regions, institutions, currencies) take the palette in order.
fn color_for(key: &str, index: usize) -> RGBColor {
    match AssetClass::ALL.iter().find(|c| c.as_str() == key) {
        Some(class) => class_color(*class),
        None => PALETTE[index % PALETTE.len()],
    }
}

fn chart_err<E: std::fmt::Display>(e: E) -> Error {
    Error::Chart(e.to_string())
}

fn group_thousands(int: &str, sep: &str) -> String {
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

fn currency_symbol(code: &str) -> &str {
    match code {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        "CHF" => "CHF",
        other => other,
    }
}

/// Formats an amount for axis labels and tooltips: `1 234 €` / `€1,234`; with
/// `compact`, `1,2 M€` / `€1.2M`.
pub fn format_amount(value: f64, currency: &str, lang: Lang, compact: bool) -> String {
    let sym = currency_symbol(currency);
    let neg = value < 0.0;
    let v = value.abs();
    let (number, suffix) = if compact && v >= 1_000_000.0 {
        (format!("{:.1}", v / 1_000_000.0), "M")
    } else if compact && v >= 10_000.0 {
        (format!("{:.0}", v / 1_000.0), "k")
    } else {
        (format!("{v:.0}"), "")
    };
    let (int, frac) = number.split_once('.').map_or((number.as_str(), None), |(i, f)| (i, Some(f)));
    let out = match lang {
        Lang::Fr => {
            let mut s = group_thousands(int, "\u{202f}");
            if let Some(f) = frac {
                s.push(',');
                s.push_str(f);
            }
            format!("{s}\u{a0}{suffix}{sym}")
        }
        Lang::En => {
            let mut s = group_thousands(int, ",");
            if let Some(f) = frac {
                s.push('.');
                s.push_str(f);
            }
            if sym.chars().count() > 1 {
                format!("{sym}\u{a0}{s}{suffix}")
            } else {
                format!("{sym}{s}{suffix}")
            }
        }
    };
    if neg {
        format!("−{out}")
    } else {
        out
    }
}

const MONTHS_FR: [&str; 12] =
    ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A date label: `12 mars 2024` (`1er mars 2024`) / `Mar 12, 2024`; with `month_only`,
/// `mars 2024` / `Mar 2024`.
pub fn format_date(d: NaiveDate, lang: Lang, month_only: bool) -> String {
    let m = d.month0() as usize;
    match (lang, month_only) {
        (Lang::Fr, true) => format!("{} {}", MONTHS_FR[m], d.year()),
        (Lang::Fr, false) if d.day() == 1 => format!("1er {} {}", MONTHS_FR[m], d.year()),
        (Lang::Fr, false) => format!("{} {} {}", d.day(), MONTHS_FR[m], d.year()),
        (Lang::En, true) => format!("{} {}", MONTHS_EN[m], d.year()),
        (Lang::En, false) => format!("{} {}, {}", MONTHS_EN[m], d.day(), d.year()),
    }
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Built-in names for the tokens charts show (asset classes, account and institution
/// kinds, the unclassified bucket), so charts are readable even when the caller passes
/// no labels. They are the tokens' own labels, the ones the UI shows.
fn builtin_label(key: &str, lang: Lang) -> Option<&'static str> {
    let labels = if key == UNCLASSIFIED {
        UNCLASSIFIED_LABELS
    } else {
        let class = AssetClass::ALL.iter().find(|c| c.as_str() == key).map(|c| c.labels());
        let kind = || AccountKind::ALL.iter().find(|c| c.as_str() == key).map(|c| c.labels());
        let inst = || InstitutionKind::ALL.iter().find(|c| c.as_str() == key).map(|c| c.labels());
        class.or_else(kind).or_else(inst)?
    };
    Some(if lang == Lang::Fr { labels.fr } else { labels.en })
}

fn label(opts: &ChartOptions, key: &str) -> String {
    opts.labels
        .get(key)
        .cloned()
        .or_else(|| builtin_label(key, opts.lang).map(str::to_owned))
        .unwrap_or_else(|| key.replace('_', " "))
}

fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    let span = (hi - lo).max(1.0);
    (lo - span * 0.05 * f64::from(u8::from(lo < 0.0)), hi + span * 0.08)
}

/// Draws a legend row of coloured squares and names; returns nothing, never overlaps
/// the plot (it has its own strip).
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(String, RGBColor)],
) -> Result<()> {
    let (w, _) = area.dim_in_pixel();
    let mut x = 8i32;
    let mut y = 6i32;
    for (name, color) in items {
        let text_w = (name.chars().count() as i32) * 7 + 28;
        if x + text_w > w as i32 - 8 && x > 8 {
            x = 8;
            y += 18;
        }
        area.draw(&Rectangle::new([(x, y + 2), (x + 10, y + 12)], color.filled())).map_err(chart_err)?;
        area.draw(&Text::new(name.clone(), (x + 14, y), ("sans-serif", 12).into_font().color(&INK)))
            .map_err(chart_err)?;
        x += text_w;
    }
    Ok(())
}

fn plot_area<DB: DrawingBackend, X: Ranged, Y: Ranged>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    legend_height: i32,
) -> PlotArea {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    PlotArea { left: xr.start, top: yr.start + legend_height, width: xr.end - xr.start, height: yr.end - yr.start }
}

/// Net worth over time; with stacks, one band per stack (positives above zero,
/// liabilities below) and the net-worth line on top.
pub fn net_worth(series: &Series, opts: &ChartOptions) -> Result<Chart> {
    let (w, h) = (opts.width.max(320), opts.height.max(200));
    let mut svg = String::new();
    let dates = &series.dates;
    let totals: Vec<f64> = series.totals.iter().map(|d| f(*d)).collect();
    let stacks: Vec<(String, Vec<f64>)> =
        series.stacks.iter().map(|s| (s.key.clone(), s.values.iter().map(|d| f(*d)).collect())).collect();
    let legend_items: Vec<(String, RGBColor)> = stacks
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let color = if v.iter().all(|x| *x <= 0.0) { LIABILITY } else { color_for(k, i) };
            (label(opts, k), color)
        })
        .collect();
    let legend_h: i32 = if stacks.is_empty() { 0 } else { 24 + 18 * ((legend_items.len() as i32 * 110) / w as i32) };
    let plot;
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_err)?;
        let (top, body) = root.split_vertically(legend_h);
        if !stacks.is_empty() {
            legend(&top, &legend_items)?;
        }
        let (x0, x1) = match (dates.first(), dates.last()) {
            (Some(a), Some(b)) if a < b => (day(*a), day(*b)),
            (Some(a), _) => (day(*a) - 1, day(*a) + 1),
            _ => (0, 1),
        };
        // Cumulative bands: positives stack up, negatives stack down.
        let n = dates.len();
        let mut pos = vec![0.0; n];
        let mut neg = vec![0.0; n];
        let mut bands: Vec<(Vec<f64>, Vec<f64>, RGBColor)> = vec![];
        for (i, (_, vals)) in stacks.iter().enumerate() {
            let color = legend_items[i].1;
            // A stack stays on one side of zero (decided by its total), so bands never
            // cross: liabilities below, assets above.
            let below = vals.iter().sum::<f64>() < 0.0;
            let (lo, hi): (Vec<f64>, Vec<f64>) = (0..n)
                .map(|j| {
                    let v = vals.get(j).copied().unwrap_or(0.0);
                    if below {
                        let b = neg[j];
                        neg[j] += v.min(0.0);
                        (neg[j], b)
                    } else {
                        let b = pos[j];
                        pos[j] += v.max(0.0);
                        (b, pos[j])
                    }
                })
                .unzip();
            bands.push((lo, hi, color));
        }
        let lo = neg.iter().chain(totals.iter()).copied().fold(0.0, f64::min);
        let hi = pos.iter().chain(totals.iter()).copied().fold(0.0, f64::max);
        let (ylo, yhi) = padded(lo, hi);
        let span_days = x1 - x0;
        let month_only = span_days > 120;
        let cur = series.currency.clone();
        let lang = opts.lang;
        // The right margin holds half of the last date label, which is centred on its
        // tick: never cut off ("2 nov. 20").
        let mut chart = ChartBuilder::on(&body)
            .margin_left(8)
            .margin_right(DATE_LABEL_HALF_WIDTH)
            .margin_top(8)
            .margin_bottom(4)
            .x_label_area_size(28)
            .y_label_area_size(84)
            .build_cartesian_2d(x0..x1, ylo..yhi)
            .map_err(chart_err)?;
        chart
            .configure_mesh()
            .x_labels(((w as usize).saturating_sub(100) / 110).clamp(2, 8))
            .y_labels(((h as usize) / 60).clamp(3, 7))
            .x_label_formatter(&|x| {
                NaiveDate::from_num_days_from_ce_opt(*x).map(|d| format_date(d, lang, month_only)).unwrap_or_default()
            })
            .y_label_formatter(&|y| format_amount(*y, &cur, lang, true))
            .label_style(("sans-serif", 12).into_font().color(&INK))
            .axis_style(INK.mix(0.6))
            .bold_line_style(GRID)
            .light_line_style(WHITE)
            .draw()
            .map_err(chart_err)?;
        let xs: Vec<i32> = dates.iter().map(|d| day(*d)).collect();
        for (lo, hi, color) in &bands {
            let mut poly: Vec<(i32, f64)> = xs.iter().copied().zip(hi.iter().copied()).collect();
            poly.extend(xs.iter().copied().zip(lo.iter().copied()).rev());
            chart.draw_series(std::iter::once(Polygon::new(poly, color.mix(0.55).filled()))).map_err(chart_err)?;
        }
        if ylo < 0.0 {
            chart.draw_series(LineSeries::new([(x0, 0.0), (x1, 0.0)], INK.mix(0.5))).map_err(chart_err)?;
        }
        let line_color = if stacks.is_empty() { PALETTE[0] } else { INK };
        chart
            .draw_series(LineSeries::new(xs.iter().copied().zip(totals.iter().copied()), line_color.stroke_width(2)))
            .map_err(chart_err)?;
        // A single value is no line: it is drawn as a point with its amount.
        if let ([x], [v]) = (xs.as_slice(), totals.as_slice()) {
            chart.draw_series(std::iter::once(Circle::new((*x, *v), 5, line_color.filled()))).map_err(chart_err)?;
            let (px, py) = chart.backend_coord(&(*x, *v));
            use plotters::style::text_anchor::{HPos, Pos, VPos};
            body.draw(&Text::new(
                format_amount(*v, &cur, lang, false),
                (px, py - 10),
                ("sans-serif", 13).into_font().color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))
            .map_err(chart_err)?;
        }
        plot = plot_area(&chart, legend_h);
        root.present().map_err(chart_err)?;
    }
    Ok(Chart { svg, plot, width: w, height: h, dates: dates.clone(), values: series.totals.clone() })
}

/// Allocation as horizontal bars, largest first, with value and percentage.
pub fn allocation(b: &Breakdown, opts: &ChartOptions) -> Result<Chart> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let w = opts.width.max(320);
    let rows = b.slices.len().max(1);
    let h = opts.height.max(40 + 30 * rows as u32).min(60 + 40 * rows as u32);
    let names: Vec<String> = b.slices.iter().map(|s| label(opts, &s.label)).collect();
    let label_w = names.iter().map(|n| n.chars().count()).max().unwrap_or(8).clamp(6, 28) as u32 * 7 + 16;
    let mut svg = String::new();
    let plot;
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_err)?;
        let lo = b.slices.iter().map(|s| f(s.value)).fold(0.0, f64::min);
        let hi = b.slices.iter().map(|s| f(s.value)).fold(0.0, f64::max);
        // Room on the right of the longest bar for its value label.
        let (xlo, xhi) = padded(lo, hi + (hi - lo).max(1.0) * 0.35);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(label_w)
            .build_cartesian_2d(xlo..xhi, 0.0..rows as f64)
            .map_err(chart_err)?;
        let cur = b.currency.clone();
        let lang = opts.lang;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(((w as usize) / 140).clamp(2, 6))
            .x_label_formatter(&|x| format_amount(*x, &cur, lang, true))
            .label_style(("sans-serif", 12).into_font().color(&INK))
            .axis_style(INK.mix(0.6))
            .bold_line_style(GRID)
            .light_line_style(WHITE)
            .draw()
            .map_err(chart_err)?;
        let font = ("sans-serif", 12).into_font().color(&INK);
        for (i, s) in b.slices.iter().enumerate() {
            let v = f(s.value);
            let color = if v < 0.0 { LIABILITY } else { color_for(&s.key, i) };
            let y = (rows - 1 - i) as f64;
            chart
                .draw_series(std::iter::once(Rectangle::new([(0.0, y + 0.2), (v, y + 0.8)], color.filled())))
                .map_err(chart_err)?;
            let pct = if v > 0.0 {
                match lang {
                    Lang::Fr => format!("  ·  {}\u{a0}%", s.percent.round_dp(1).to_string().replace('.', ",")),
                    Lang::En => format!("  ·  {}%", s.percent.round_dp(1)),
                }
            } else {
                String::new()
            };
            let (vx, vy) = chart.backend_coord(&(v.max(0.0), y + 0.5));
            root.draw(&Text::new(
                format!("{}{pct}", format_amount(v, &b.currency, lang, false)),
                (vx + 6, vy),
                font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(chart_err)?;
            let (lx, ly) = chart.backend_coord(&(xlo, y + 0.5));
            root.draw(&Text::new(
                names[i].clone(),
                (lx - 8, ly),
                font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(chart_err)?;
        }
        plot = plot_area(&chart, 0);
        root.present().map_err(chart_err)?;
    }
    Ok(Chart { svg, plot, width: w, height: h, dates: vec![], values: vec![] })
}

/// One asset's value history as a line.
pub fn asset_history(points: &[ValuePoint], currency: &str, opts: &ChartOptions) -> Result<Chart> {
    let series = Series {
        currency: currency.to_owned(),
        dates: points.iter().map(|p| p.date).collect(),
        totals: points.iter().map(|p| p.value).collect(),
        stacks: vec![],
        missing_rates: vec![],
    };
    net_worth(&series, opts)
}

static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Rasterises a chart's SVG to PNG at `scale` (2.0 for a crisp export).
pub fn to_png(svg: &str, scale: f32) -> Result<Vec<u8>> {
    use resvg::{tiny_skia, usvg};
    let mut opt = usvg::Options::default();
    {
        let db = std::sync::Arc::make_mut(&mut opt.fontdb);
        db.load_font_data(FONT.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
    }
    opt.font_family = "DejaVu Sans".into();
    let tree = usvg::Tree::from_str(svg, &opt).map_err(chart_err)?;
    let size = tree.size().to_int_size().scale_by(scale).ok_or_else(|| Error::Chart("empty chart".into()))?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| Error::Chart("empty chart".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(chart_err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::{Slice, Stack};

    fn opts(lang: Lang) -> ChartOptions {
        ChartOptions { width: 800, height: 360, lang, labels: BTreeMap::from([("equity".into(), "Actions".into())]) }
    }

    #[test]
    fn amounts_and_dates_follow_the_language() {
        assert_eq!(format_amount(1234567.0, "EUR", Lang::Fr, false), "1\u{202f}234\u{202f}567\u{a0}€");
        assert_eq!(format_amount(1234567.0, "EUR", Lang::En, false), "€1,234,567");
        assert_eq!(format_amount(1_260_000.0, "EUR", Lang::Fr, true), "1,3\u{a0}M€");
        assert_eq!(format_amount(-45_000.0, "USD", Lang::En, true), "−$45k");
        assert_eq!(format_date(NaiveDate::from_ymd_opt(2024, 3, 12).unwrap(), Lang::Fr, false), "12 mars 2024");
        assert_eq!(format_date(NaiveDate::from_ymd_opt(2024, 3, 12).unwrap(), Lang::En, true), "Mar 2024");
        assert_eq!(format_date(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), Lang::Fr, false), "1er déc. 2026");
        assert_eq!(format_date(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), Lang::En, false), "Dec 1, 2026");
    }

    fn series() -> Series {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let dec = |s: &str| s.parse::<Decimal>().unwrap();
        Series {
            currency: "EUR".into(),
            dates: vec![d("2024-01-31"), d("2024-02-29"), d("2024-03-31")],
            totals: vec![dec("1000"), dec("1500.5"), dec("-200")],
            stacks: vec![
                Stack { key: "equity".into(), values: vec![dec("1000"), dec("1700.5"), dec("800")] },
                Stack { key: "loan".into(), values: vec![dec("0"), dec("-200"), dec("-1000")] },
            ],
            missing_rates: vec![],
        }
    }

    #[test]
    fn net_worth_chart_has_localised_labels_and_a_plot_area() {
        let c = net_worth(&series(), &opts(Lang::Fr)).unwrap();
        assert!(c.svg.starts_with("<svg"));
        assert!(c.svg.contains("viewBox"));
        assert!(c.svg.contains("Actions"), "translated stack label");
        assert!(c.svg.contains("févr. 2024") || c.svg.contains("janv. 2024") || c.svg.contains("mars 2024"));
        assert!(!c.svg.contains("style="), "presentation attributes only (CSP)");
        assert!(c.plot.width > 500 && c.plot.height > 200 && c.plot.left > 0);
        assert_eq!(c.values.len(), 3);
        let en = net_worth(&series(), &opts(Lang::En)).unwrap();
        assert!(en.svg.contains("€"));
    }

    #[test]
    fn a_single_value_is_drawn_as_a_point_with_its_amount() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let one = Series {
            currency: "EUR".into(),
            dates: vec![d("2026-11-02")],
            totals: vec!["210000".parse().unwrap()],
            stacks: vec![],
            missing_rates: vec![],
        };
        let c = net_worth(&one, &opts(Lang::Fr)).unwrap();
        assert!(c.svg.contains("<circle"), "a point");
        assert!(c.svg.contains("210\u{202f}000\u{a0}€"), "its amount");
        let two = net_worth(&series(), &opts(Lang::Fr)).unwrap();
        assert!(!two.svg.contains("<circle"), "a line needs no points");
    }

    /// Every text of the SVG whose anchor is its middle, with its x position.
    fn centred_texts(svg: &str) -> Vec<(f64, String)> {
        let mut out = vec![];
        for part in svg.split("<text").skip(1) {
            let (attrs, rest) = part.split_once('>').unwrap_or((part, ""));
            let text = rest.split("</text>").next().unwrap_or("").trim().to_owned();
            let x = attrs.split("x=\"").nth(1).and_then(|v| v.split('"').next()).and_then(|v| v.parse().ok());
            if let (Some(x), true) = (x, attrs.contains("text-anchor=\"middle\"")) {
                out.push((x, text));
            }
        }
        out
    }

    #[test]
    fn the_last_date_label_is_not_cut_off() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // A week and two days end on a tick: the last label sits at the right edge.
        for (from, to) in [("2024-10-26", "2024-11-02"), ("2024-11-01", "2024-11-03"), ("2024-10-02", "2024-11-02")] {
            let s = Series {
                currency: "EUR".into(),
                dates: vec![d(from), d(to)],
                totals: vec!["1000".parse().unwrap(), "1100".parse().unwrap()],
                stacks: vec![],
                missing_rates: vec![],
            };
            for (lang, width) in [(Lang::Fr, 800), (Lang::En, 800), (Lang::Fr, 1200), (Lang::Fr, 320)] {
                let c = net_worth(&s, &ChartOptions { width, ..opts(lang) }).unwrap();
                let labels = centred_texts(&c.svg);
                assert!(width < 800 || !labels.is_empty(), "date labels at {width} px");
                for (x, text) in labels {
                    // 12 px sans-serif: at most 7 px a character.
                    let half = text.chars().count() as f64 * 7.0 / 2.0;
                    assert!(x + half <= f64::from(c.width), "{text} at {x} passes {}", c.width);
                }
            }
        }
    }

    #[test]
    fn an_asset_class_has_the_same_colour_in_every_chart() {
        let hex = |c: RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let dec = |s: &str| s.parse::<Decimal>().unwrap();
        // The history lists cash first; the allocation lists real estate first.
        let series = Series {
            currency: "EUR".into(),
            dates: vec![d("2024-01-31"), d("2024-02-29")],
            totals: vec![dec("1100"), dec("1200")],
            stacks: vec![
                Stack { key: "cash".into(), values: vec![dec("100"), dec("200")] },
                Stack { key: "real_estate".into(), values: vec![dec("1000"), dec("1000")] },
            ],
            missing_rates: vec![],
        };
        let slice = |key: &str, value: &str| Slice {
            key: key.into(),
            label: key.into(),
            value: value.parse().unwrap(),
            percent: "50".parse().unwrap(),
        };
        let b = Breakdown {
            date: d("2024-02-29"),
            currency: "EUR".into(),
            total: dec("1200"),
            slices: vec![slice("real_estate", "1000"), slice("cash", "200")],
            missing_rates: vec![],
        };
        let history = net_worth(&series, &opts(Lang::En)).unwrap().svg.to_lowercase();
        let bars = allocation(&b, &opts(Lang::En)).unwrap().svg.to_lowercase();
        let (cash, estate) = (hex(color_for("cash", 5)), hex(color_for("real_estate", 0)));
        assert_ne!(cash, estate);
        for svg in [&history, &bars] {
            assert!(svg.contains(&cash) && svg.contains(&estate), "both class colours in {svg}");
        }
        // Keys that are not classes (regions, currencies…) take the palette in order.
        assert_eq!(color_for("europe", 1), PALETTE[1]);
        assert_eq!(color_for("loan", 0), LIABILITY);
    }

    #[test]
    fn allocation_chart_and_png_export() {
        let b = Breakdown {
            date: NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(),
            currency: "EUR".into(),
            total: "800".parse().unwrap(),
            slices: vec![
                Slice {
                    key: "equity".into(),
                    label: "equity".into(),
                    value: "1000".parse().unwrap(),
                    percent: "100".parse().unwrap(),
                },
                Slice {
                    key: "loan".into(),
                    label: "loan".into(),
                    value: "-200".parse().unwrap(),
                    percent: "0".parse().unwrap(),
                },
            ],
            missing_rates: vec![],
        };
        let c = allocation(&b, &opts(Lang::Fr)).unwrap();
        assert!(c.svg.contains("Actions"));
        assert!(c.svg.contains("100\u{a0}%"));
        let png = to_png(&c.svg, 1.0).unwrap();
        if let Ok(dir) = std::env::var("PATRIMOINE_CHART_SAMPLES") {
            std::fs::write(format!("{dir}/allocation.png"), &png).unwrap();
            let nw = net_worth(&series(), &opts(Lang::Fr)).unwrap();
            std::fs::write(format!("{dir}/networth.png"), to_png(&nw.svg, 1.0).unwrap()).unwrap();
        }
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(png.len() > 2000);
    }
}
