//! The languages Keyward speaks and the words in each: Project Fluent files
//! (`locales/<tag>/keyward.ftl`) compiled into the binary, English as the fallback for a
//! message a locale lacks. Pages and mail look words up here by message id; how to add a
//! language: docs/i18n.md; why Fluent through fluent-templates: docs/decisions/011-fluent.md.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around placeables: they end up in mail subjects and in
        // text that tests and people copy.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language Keyward is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    Ru,
    Uk,
    Ms,
    De,
    Es,
}

static EN: LanguageIdentifier = langid!("en");
static RU: LanguageIdentifier = langid!("ru");
static UK: LanguageIdentifier = langid!("uk");
static MS: LanguageIdentifier = langid!("ms");
static DE: LanguageIdentifier = langid!("de");
static ES: LanguageIdentifier = langid!("es");

/// A value for a message's variable: text, or a number (which picks the plural form).
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

/// What can fill a message's variable.
pub trait ToArg {
    fn to_arg(&self) -> Arg;
}

impl ToArg for str {
    fn to_arg(&self) -> Arg {
        Arg::Text(self.to_owned())
    }
}
impl ToArg for String {
    fn to_arg(&self) -> Arg {
        Arg::Text(self.clone())
    }
}
impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> Arg {
        (**self).to_arg()
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl ToArg for $t {
            fn to_arg(&self) -> Arg {
                Arg::Number(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize);

impl Locale {
    /// Every supported locale, English first.
    pub const ALL: [Locale; 6] = [
        Locale::En,
        Locale::Ru,
        Locale::Uk,
        Locale::Ms,
        Locale::De,
        Locale::Es,
    ];

    /// The BCP 47 tag (`<html lang>`, the API's `locale`, the cookie).
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
            Self::Uk => "uk",
            Self::Ms => "ms",
            Self::De => "de",
            Self::Es => "es",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Ru => "Русский",
            Self::Uk => "Українська",
            Self::Ms => "Bahasa Melayu",
            Self::De => "Deutsch",
            Self::Es => "Español",
        }
    }

    /// A supported tag exactly (`de`, case-insensitive): what the API and the cookie accept.
    pub fn parse(tag: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// A language tag as browsers and clients send it (`de-AT`, `ru_RU`): its primary subtag.
    pub fn from_language_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Self::parse(primary)
    }

    /// The first supported language of a space-separated preference list (OIDC `ui_locales`).
    pub fn first_of_list(list: &str) -> Option<Self> {
        list.split_whitespace().find_map(Self::from_language_tag)
    }

    /// The most preferred supported language of an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, usize, Self)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let Some(locale) = Self::from_language_tag(tag) else {
                continue;
            };
            if q <= 0.0 {
                continue;
            }
            // Higher q wins; on a tie the one listed first.
            if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, locale));
            }
        }
        best.map(|(_, _, l)| l)
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Self::En => &EN,
            Self::Ru => &RU,
            Self::Uk => &UK,
            Self::Ms => &MS,
            Self::De => &DE,
            Self::Es => &ES,
        }
    }

    /// The message `id` in this language (English when this language lacks it).
    pub fn t(self, id: &str) -> String {
        LOCALES.lookup(self.id(), id)
    }

    /// The message `id` with its variables.
    pub fn t_args(self, id: &str, args: &[(&str, Arg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    Arg::Text(s) => FluentValue::from(s.clone()),
                    Arg::Number(n) => FluentValue::from(*n),
                };
                (Cow::Owned((*k).to_owned()), value)
            })
            .collect();
        LOCALES.lookup_with_args(self.id(), id, &map)
    }

    /// A text a service wrote in English (a refusal, a heading), in this language when the
    /// English catalogue has it word for word; as it is otherwise.
    pub fn t_english(self, english: &str) -> String {
        if self == Self::En {
            return english.to_owned();
        }
        match ENGLISH.get(english) {
            Some(id) => self.t(id),
            None => english.to_owned(),
        }
    }

    /// A day, e.g. "3 Dec 2026", "3. Dez. 2026", "3 дек. 2026 г.".
    pub fn date(self, day: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let month = self.t(&format!("month-{}", day.month()));
        self.t_args(
            "date",
            &[
                ("day", Arg::Number(i64::from(day.day()))),
                ("month", Arg::Text(month)),
                ("year", Arg::Text(day.year().to_string())),
            ],
        )
    }

    /// A day with its month written out, e.g. "3 December 2026", "3. Dezember 2026",
    /// "3 декабря 2026 г." (a deadline in a sentence).
    pub fn date_long(self, day: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let month = self.t(&format!("month-long-{}", day.month()));
        self.t_args(
            "date-long",
            &[
                ("day", Arg::Number(i64::from(day.day()))),
                ("month", Arg::Text(month)),
                ("year", Arg::Text(day.year().to_string())),
            ],
        )
    }

    /// A moment in UTC, e.g. "3 Dec 2026, 16:42 UTC".
    pub fn date_time(self, at: chrono::NaiveDateTime) -> String {
        self.t_args(
            "date-time",
            &[
                ("date", Arg::Text(self.date(at.date()))),
                ("time", Arg::Text(at.format("%H:%M").to_string())),
            ],
        )
    }
}

/// The English catalogue's messages without variables, by their text (see `t_english`).
static ENGLISH: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for id in message_ids(EN_SOURCE) {
        let text = Locale::En.t(&id);
        if !text.contains('{') {
            map.entry(text).or_insert(id);
        }
    }
    map
});

const EN_SOURCE: &str = include_str!("../../locales/en/keyward.ftl");

/// The ids of the messages of an `.ftl` source (terms and comments left out).
pub fn message_ids(source: &str) -> Vec<String> {
    use fluent_syntax::ast::Entry;
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .body
        .iter()
        .filter_map(|e| match e {
            Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// Every message of the English catalogue, `(id, text)` (the check that no English is left
/// on a translated page).
pub fn english_messages() -> Vec<(String, String)> {
    message_ids(EN_SOURCE)
        .into_iter()
        .map(|id| {
            let text = Locale::En.t(&id);
            (id, text)
        })
        .collect()
}

#[cfg(test)]
mod tests;
