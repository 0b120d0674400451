//! The catalogues agree: every locale has every English message (and no stray one), each
//! with the same variables, and each parses without an error.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::*;

fn source(locale: Locale) -> String {
    let path = format!(
        "{}/locales/{}/keyward.ftl",
        env!("CARGO_MANIFEST_DIR"),
        locale.tag()
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn inline_vars(e: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match e {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, out);
            }
        }
        InlineExpression::Placeable { expression } => expr_vars(expression, out),
        _ => {}
    }
}

fn expr_vars(e: &Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        Expression::Inline(i) => inline_vars(i, out),
        Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
    }
}

fn pattern_vars(p: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let PatternElement::Placeable { expression } = el {
            expr_vars(expression, out);
        }
    }
}

/// Message id → the variables it uses.
fn catalogue(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let text = source(locale);
    let resource = fluent_syntax::parser::parse(text.as_str()).unwrap_or_else(|(_, errors)| {
        panic!("{}: {errors:?}", locale.tag());
    });
    let mut out = BTreeMap::new();
    for entry in &resource.body {
        if let Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(v) = &m.value {
                pattern_vars(v, &mut vars);
            }
            let fresh = out.insert(m.id.name.to_owned(), vars).is_none();
            assert!(fresh, "{}: {} is defined twice", locale.tag(), m.id.name);
        }
    }
    out
}

#[test]
fn every_locale_has_every_message_with_the_same_variables() {
    let english = catalogue(Locale::En);
    assert!(english.len() > 100, "the English catalogue is loaded");
    let mut problems = Vec::new();
    for locale in Locale::ALL.into_iter().skip(1) {
        let other = catalogue(locale);
        for (id, vars) in &english {
            match other.get(id) {
                None => problems.push(format!("{}: missing {id}", locale.tag())),
                Some(v) if v != vars => problems.push(format!(
                    "{}: {id} uses {v:?}, English uses {vars:?}",
                    locale.tag()
                )),
                Some(_) => {}
            }
        }
        for id in other.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!("{}: {id} is not in English", locale.tag()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn plurals_follow_each_language() {
    let n = |l: Locale, k: i64| l.t_args("backup-codes-left", &[("count", Arg::Number(k))]);
    assert_eq!(n(Locale::En, 1), "1 backup code left.");
    assert_eq!(n(Locale::En, 5), "5 backup codes left.");
    assert!(
        n(Locale::Ru, 1).contains("1 резервный код"),
        "{}",
        n(Locale::Ru, 1)
    );
    assert!(
        n(Locale::Ru, 3).contains("3 резервных кода"),
        "{}",
        n(Locale::Ru, 3)
    );
    assert!(
        n(Locale::Ru, 5).contains("5 резервных кодов"),
        "{}",
        n(Locale::Ru, 5)
    );
    assert!(
        n(Locale::Uk, 2).contains("2 резервні коди"),
        "{}",
        n(Locale::Uk, 2)
    );
    assert!(
        n(Locale::De, 1).contains("1 Backup-Code"),
        "{}",
        n(Locale::De, 1)
    );
}

#[test]
fn dates_are_written_the_local_way() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
    assert_eq!(Locale::En.date(day), "3 Dec 2026");
    assert_eq!(Locale::De.date(day), "3. Dez. 2026");
    // The year and its "г." stay on one line.
    assert_eq!(Locale::Ru.date(day), "3 дек. 2026\u{a0}г.");
    let at = day.and_hms_opt(16, 42, 0).expect("time");
    assert_eq!(Locale::En.date_time(at), "3 Dec 2026, 16:42 UTC");
}

#[test]
fn a_deadline_writes_its_month_out() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
    assert_eq!(Locale::En.date_long(day), "3 December 2026");
    assert_eq!(Locale::De.date_long(day), "3. Dezember 2026");
    assert_eq!(Locale::Ru.date_long(day), "3 декабря 2026\u{a0}г.");
    assert_eq!(Locale::Uk.date_long(day), "3 грудня 2026\u{a0}р.");
    assert_eq!(Locale::Es.date_long(day), "3 de diciembre de 2026");
    assert_eq!(Locale::Ms.date_long(day), "3 Disember 2026");
    // Every month has its long name in every language.
    for locale in Locale::ALL {
        for m in 1..=12 {
            let day = chrono::NaiveDate::from_ymd_opt(2026, m, 1).expect("date");
            assert!(
                !locale.date_long(day).contains("month-long"),
                "{locale:?} {m}"
            );
        }
    }
}

#[test]
fn languages_are_picked_from_headers_and_lists() {
    assert_eq!(
        Locale::from_accept_language("fr-FR,fr;q=0.9,de;q=0.8,en;q=0.7"),
        Some(Locale::De)
    );
    assert_eq!(Locale::from_accept_language("ru-RU"), Some(Locale::Ru));
    assert_eq!(
        Locale::from_accept_language("en;q=0.5, uk"),
        Some(Locale::Uk)
    );
    assert_eq!(Locale::from_accept_language("fr, pl;q=0.3"), None);
    assert_eq!(Locale::first_of_list("fr-CA es-MX en"), Some(Locale::Es));
    assert_eq!(Locale::parse("DE"), Some(Locale::De));
    assert_eq!(Locale::parse("de-AT"), None);
    assert_eq!(Locale::parse("pl"), None);
}

#[test]
fn a_missing_message_falls_back_to_english_and_english_text_translates() {
    assert_eq!(Locale::De.t("sign-in"), "Anmelden");
    assert_eq!(Locale::Ru.t_english("Sign in"), Locale::Ru.t("sign-in"));
    assert_eq!(Locale::Ru.t_english("no such sentence"), "no such sentence");
}

/// Every message id the templates and the page code ask for is in the English catalogue (a
/// typo would show the id itself on the page).
#[test]
fn every_message_asked_for_exists() {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let p = entry.path();
            if p.is_dir() {
                files(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for dir in ["templates", "src/web", "src/domain"] {
        files(&root.join(dir), &mut all);
    }
    let english = catalogue(Locale::En);
    let mut missing = BTreeSet::new();
    for path in all {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for call in [".t(\"", ".t1(\"", ".t2(\"", ".t_args(\"", "_strong(\""] {
            for (i, _) in text.match_indices(call) {
                let rest = &text[i + call.len()..];
                let id: String = rest.chars().take_while(|c| *c != '"').collect();
                let looks_like_id = !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if looks_like_id && !english.contains_key(&id) {
                    missing.insert(format!("{}: {id}", path.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
