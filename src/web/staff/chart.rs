//! The compliance page's picture: users by kind of second factor over the last days, drawn on
//! the server as an inline SVG (no script), and the same numbers as a summary table, both in
//! the page's language. Pure functions of the history; the page embeds the SVG as it is.

use std::fmt::Write;

use crate::domain::i18n::{Arg, Locale};
use crate::services::adoption::{Counts, Day};

/// One line of the chart.
pub struct Series {
    /// The message that names it (`method-app`, …).
    pub label: &'static str,
    /// The badge's class on the staff pages, so the chart and the badges share colours.
    pub class: &'static str,
    color: &'static str,
    dash: &'static str,
    value: fn(&Counts) -> i64,
}

/// The kinds drawn, in legend order. Colours have at least 4.5:1 contrast on white, and each
/// line has its own dash pattern, so colour is not the only difference.
pub const SERIES: [Series; 4] = [
    series("method-app", "app", "#1d4ed8", "", |c| c.totp),
    series("method-yubikey", "yubikey", "#047857", "9 4", |c| {
        c.yubikey_otp
    }),
    series("method-key", "key", "#b45309", "3 3", |c| c.webauthn),
    series(
        "staff-no-second-factor",
        "none",
        "#4b5563",
        "12 4 3 4",
        |c| c.no_factor,
    ),
];

const fn series(
    label: &'static str,
    class: &'static str,
    color: &'static str,
    dash: &'static str,
    value: fn(&Counts) -> i64,
) -> Series {
    Series {
        label,
        class,
        color,
        dash,
        value,
    }
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = WIDTH - 48.0;
const TOP: f64 = 52.0;
const BOTTOM: f64 = HEIGHT - 58.0;

/// Text made safe for the SVG (and any HTML).
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The top of the y axis and its step: 1, 2 or 5 times a power of ten, at most 6 steps.
fn y_scale(max: i64) -> (i64, i64) {
    let raw = (max.max(1) + 5) / 6;
    let mut power = 1_i64;
    loop {
        for m in [1, 2, 5] {
            let step = m * power;
            if step >= raw {
                let top = (max.max(1) + step - 1) / step * step;
                return (top, step);
            }
        }
        power = power.saturating_mul(10);
    }
}

fn x_of(i: usize, n: usize) -> f64 {
    if n <= 1 {
        return (LEFT + RIGHT) / 2.0;
    }
    LEFT + (RIGHT - LEFT) * i as f64 / (n - 1) as f64
}

fn y_of(v: i64, top: i64) -> f64 {
    BOTTOM - (BOTTOM - TOP) * v as f64 / top as f64
}

/// A day without its year, as the axis and the summary's columns name it ("3 Dec", "3. Dez.").
pub fn day_month(l: Locale, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    l.t_args(
        "staff-day-month",
        &[
            ("day", Arg::Number(i64::from(day.day()))),
            ("month", Arg::Text(l.t(&format!("month-{}", day.month())))),
        ],
    )
}

/// What the chart says in words (its accessible name).
pub fn summary_sentence(l: Locale, days: &[Day]) -> String {
    let mut s = l.t_args(
        "staff-chart-summary",
        &[("days", Arg::Number(days.len() as i64))],
    );
    if let Some(c) = days.last().and_then(|d| d.counts) {
        let today = l.t_args(
            "staff-chart-today",
            &[
                ("users", Arg::Number(c.users)),
                ("totp", Arg::Number(c.totp)),
                ("yubikey", Arg::Number(c.yubikey_otp)),
                ("key", Arg::Number(c.webauthn)),
                ("none", Arg::Number(c.no_factor)),
            ],
        );
        s.push(' ');
        s.push_str(&today);
    }
    s
}

/// About how wide `text` is drawn at the chart's size: Cyrillic letters are wider than Latin.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 7.6 } else { 9.2 })
        .sum()
}

/// The legend above the chart: one entry per line, wrapped onto a second row when the
/// labels (in the page's language) do not fit on one.
fn legend(out: &mut String, l: Locale) {
    let mut x = LEFT;
    let mut y = 18.0;
    for s in &SERIES {
        let label = l.t(s.label);
        let width = 46.0 + text_width(&label);
        if x > LEFT && x + width - 12.0 > WIDTH {
            x = LEFT;
            y += 18.0;
        }
        let _ = write!(
            out,
            r#"<line x1="{x:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{}" stroke-width="3" stroke-dasharray="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            x + 28.0,
            s.color,
            s.dash,
            x + 34.0,
            y + 4.0,
            esc(&label)
        );
        x += width;
    }
}

fn axes(out: &mut String, l: Locale, days: &[Day], top: i64, step: i64) {
    let mut v = 0;
    while v <= top {
        let y = y_of(v, top);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{RIGHT}" y2="{y:.1}" stroke="#e5e7eb"/><text x="{:.1}" y="{:.1}" text-anchor="end">{v}</text>"##,
            LEFT - 8.0,
            y + 4.0
        );
        v += step;
    }
    let n = days.len();
    for (i, d) in days.iter().enumerate() {
        if !(n - 1 - i).is_multiple_of(15) {
            continue;
        }
        let x = x_of(i, n);
        // Today's label ends at the last day, clear of the values at the end of the lines.
        let (label, anchor) = if i == n - 1 && n > 1 {
            (l.t("staff-today"), "end")
        } else if i == n - 1 {
            (l.t("staff-today"), "middle")
        } else {
            (day_month(l, d.day), "middle")
        };
        let label = esc(&label);
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{BOTTOM}" x2="{x:.1}" y2="{:.1}" stroke="#6b7280"/><text x="{x:.1}" y="{:.1}" text-anchor="{anchor}">{label}</text>"##,
            BOTTOM + 5.0,
            BOTTOM + 20.0
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="#6b7280"/><text x="{:.1}" y="{:.1}" text-anchor="middle" class="axis">{}</text><text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle" class="axis">{}</text>"##,
        (LEFT + RIGHT) / 2.0,
        HEIGHT - 10.0,
        esc(&l.t("staff-axis-day")),
        (TOP + BOTTOM) / 2.0,
        esc(&l.t("staff-axis-users"))
    );
}

/// One series: a line through each run of recorded days, a dot for a day on its own.
fn line(out: &mut String, s: &Series, days: &[Day], top: i64) {
    let n = days.len();
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, d) in days.iter().enumerate() {
        match (d.counts, runs.last_mut()) {
            (Some(c), Some(run)) => run.push((x_of(i, n), y_of((s.value)(&c), top))),
            (None, Some(run)) if !run.is_empty() => runs.push(Vec::new()),
            _ => {}
        }
    }
    for run in runs.iter().filter(|r| !r.is_empty()) {
        if let [(x, y)] = run.as_slice() {
            let _ = write!(
                out,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{}"/>"#,
                s.color
            );
            continue;
        }
        let points: Vec<String> = run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-linejoin="round" stroke-dasharray="{}"/>"#,
            points.join(" "),
            s.color,
            s.dash
        );
    }
}

/// Today's value at the end of each line, moved apart where they would overlap.
fn end_labels(out: &mut String, today: &Counts, top: i64) {
    let mut labels: Vec<(f64, &Series, i64)> = SERIES
        .iter()
        .map(|s| (y_of((s.value)(today), top), s, (s.value)(today)))
        .collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut last = f64::MIN;
    for (y, s, v) in &mut labels {
        *y = y.max(last + 15.0);
        last = *y;
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" fill="{}" class="end">{v}</text>"#,
            RIGHT + 10.0,
            *y + 4.0,
            s.color
        );
    }
}

/// The chart of `days` (oldest first, today last) as an inline SVG element, in `l`.
pub fn svg(l: Locale, days: &[Day]) -> String {
    let max = days
        .iter()
        .filter_map(|d| d.counts)
        .flat_map(|c| SERIES.iter().map(move |s| (s.value)(&c)))
        .max()
        .unwrap_or(0);
    let (top, step) = y_scale(max);
    let mut out = format!(
        r#"<svg class="chart" role="img" aria-label="{label}" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>"#,
        label = esc(&summary_sentence(l, days))
    );
    if days.is_empty() {
        out.push_str("</svg>");
        return out;
    }
    legend(&mut out, l);
    axes(&mut out, l, days, top, step);
    for s in &SERIES {
        line(&mut out, s, days, top);
    }
    if let Some(today) = days.last().and_then(|d| d.counts) {
        end_labels(&mut out, &today, top);
    }
    out.push_str("</svg>");
    out
}

/// A row of the summary table: a kind and its numbers on the chosen days.
pub struct TrendRow {
    pub label: String,
    pub class: &'static str,
    pub values: Vec<i64>,
    /// The last value minus the first, signed ("+3", "−1", "0"); empty with one column.
    pub change: String,
}

/// The summary beside the chart: the first recorded day of the window, 30 and 7 days ago
/// (when recorded), and today; one row per kind and one for all users. In `l`.
pub fn summary(l: Locale, days: &[Day]) -> (Vec<String>, Vec<TrendRow>) {
    let n = days.len();
    let mut picked: Vec<usize> = Vec::new();
    if let Some(first) = days.iter().position(|d| d.counts.is_some()) {
        picked.push(first);
    }
    for back in [30, 7, 0] {
        if let Some(i) = n.checked_sub(back + 1)
            && days[i].counts.is_some()
            && picked.last().is_none_or(|p| *p < i)
        {
            picked.push(i);
        }
    }
    let columns = picked
        .iter()
        .map(|&i| {
            if i + 1 == n {
                l.t("staff-today")
            } else {
                day_month(l, days[i].day)
            }
        })
        .collect();
    let counts: Vec<Counts> = picked.iter().filter_map(|&i| days[i].counts).collect();
    let row = |label: String, class, value: fn(&Counts) -> i64| {
        let values: Vec<i64> = counts.iter().map(value).collect();
        let change = match (values.first(), values.last()) {
            (Some(a), Some(b)) if values.len() > 1 => match b - a {
                d if d > 0 => format!("+{d}"),
                d if d < 0 => format!("\u{2212}{}", -d),
                _ => "0".into(),
            },
            _ => String::new(),
        };
        TrendRow {
            label,
            class,
            values,
            change,
        }
    };
    let mut rows: Vec<TrendRow> = SERIES
        .iter()
        .map(|s| row(l.t(s.label), s.class, s.value))
        .collect();
    rows.push(row(l.t("staff-all-users"), "all", |c| c.users));
    (columns, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(d: u32, counts: Option<(i64, i64, i64, i64)>) -> Day {
        Day {
            day: NaiveDate::from_ymd_opt(2026, 11, d).expect("date"),
            counts: counts.map(|(totp, yubikey_otp, webauthn, no_factor)| Counts {
                users: 10,
                totp,
                yubikey_otp,
                webauthn,
                no_factor,
            }),
        }
    }

    #[test]
    fn the_scale_has_round_steps() {
        assert_eq!(y_scale(0), (1, 1));
        assert_eq!(y_scale(3), (3, 1));
        assert_eq!(y_scale(7), (8, 2));
        assert_eq!(y_scale(23), (25, 5));
        assert_eq!(y_scale(103), (120, 20));
        assert_eq!(y_scale(999_999), (1_000_000, 200_000));
    }

    #[test]
    fn lines_dots_and_gaps() {
        let days = vec![
            day(1, Some((1, 0, 0, 9))),
            day(2, Some((2, 0, 1, 7))),
            day(3, None),
            day(4, Some((3, 1, 1, 5))),
        ];
        let svg = svg(Locale::En, &days);
        assert!(svg.starts_with("<svg class=\"chart\" role=\"img\" aria-label=\""));
        assert!(svg.ends_with("</svg>"));
        // Each kind: one line over days 1–2, one dot on day 4 after the gap.
        assert_eq!(svg.matches("<polyline").count(), 4);
        assert_eq!(svg.matches("<circle").count(), 4);
        for words in [
            "Authenticator app",
            "YubiKey",
            "Security key",
            "No second factor",
        ] {
            assert!(svg.contains(&format!(">{words}</text>")), "{words}");
        }
        assert!(svg.contains(">Day (UTC)</text>") && svg.contains(">Users</text>"));
        assert!(svg.contains(
            "Today, of 10 users: 3 with an authenticator app, 1 with a YubiKey, 1 with a security key, 5 without a second factor."
        ));
        assert!(svg.contains(">Today</text>"));
    }

    #[test]
    fn the_chart_speaks_the_pages_language() {
        let days = vec![day(29, Some((1, 0, 0, 9))), day(30, Some((3, 1, 1, 5)))];
        let de = svg(Locale::De, &days);
        for words in [
            ">Authenticator-App</text>",
            ">Heute</text>",
            "Heute haben von 10 Benutzern",
        ] {
            assert!(de.contains(words), "{words}: {de}");
        }
        assert!(!de.contains("Today") && !de.contains("Users"), "{de}");
        let ru = svg(Locale::Ru, &days);
        assert!(ru.contains(">Сегодня</text>"), "{ru}");
        // The Russian labels are too long for one row: the legend wraps, inside the picture.
        let rows: std::collections::BTreeSet<&str> = ru
            .match_indices("<line x1=\"")
            .filter_map(|(i, _)| ru[i..].split("y1=\"").nth(1)?.split('"').next())
            .filter(|y| *y == "18.0" || *y == "36.0")
            .collect();
        assert_eq!(rows.len(), 2, "{ru}");
        let (columns, rows) = summary(Locale::De, &days);
        assert_eq!(columns, vec!["29. Nov.", "Heute"]);
        assert_eq!(rows[4].label, "Alle Benutzer");
        assert_eq!(
            summary_sentence(Locale::Ru, &days[..1]).split('.').next(),
            Some("Пользователи по видам второго фактора за последний 1 день")
        );
    }

    #[test]
    fn labels_are_escaped_and_empty_history_draws_nothing() {
        assert!(!esc("<a & \"b\">").contains(['<', '"']));
        let empty = svg(Locale::En, &[]);
        assert!(!empty.contains("<polyline") && empty.ends_with("</svg>"));
    }

    #[test]
    fn the_summary_picks_recorded_days() {
        let mut days: Vec<Day> = (1..=30).map(|d| day(d, None)).collect();
        days[3] = day(4, Some((1, 0, 0, 9)));
        days[22] = day(23, Some((2, 1, 0, 7)));
        days[29] = day(30, Some((4, 1, 1, 5)));
        let (columns, rows) = summary(Locale::En, &days);
        assert_eq!(columns, vec!["4 Nov", "23 Nov", "Today"]);
        assert_eq!(rows[0].label, "Authenticator app");
        assert_eq!(rows[0].values, vec![1, 2, 4]);
        assert_eq!(rows[0].change, "+3");
        assert_eq!(rows[3].change, "\u{2212}4");
        assert_eq!(rows[4].label, "All users");
        assert_eq!(rows[4].change, "0");
        // Only today: one column, no change.
        let (columns, rows) = summary(Locale::En, &[day(1, Some((1, 0, 0, 9)))]);
        assert_eq!(columns, vec!["Today"]);
        assert_eq!(rows[0].change, "");
    }
}
