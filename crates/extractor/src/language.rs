//! Language detection for text whose page does not declare it.

use whatlang::Lang;

/// Texts shorter than this give whatlang too little to go on.
const MIN_CHARS: usize = 20;
/// Below this, whatlang's best guess is little better than a coin toss.
const MIN_CONFIDENCE: f64 = 0.1;

/// The languages news on this beat is written in. Unrestricted, whatlang takes short
/// English sentences for Norwegian or Danish, which then hides them from `lang:en`.
const LANGUAGES: &[Lang] = &[
    Lang::Eng,
    Lang::Fra,
    Lang::Deu,
    Lang::Pol,
    Lang::Ukr,
    Lang::Rus,
    Lang::Spa,
    Lang::Ita,
    Lang::Por,
    Lang::Nld,
    Lang::Ces,
    Lang::Slk,
    Lang::Hun,
    Lang::Ron,
    Lang::Swe,
    Lang::Fin,
    Lang::Est,
    Lang::Lav,
    Lang::Lit,
    Lang::Ell,
    Lang::Tur,
    Lang::Bul,
    Lang::Hrv,
    Lang::Srp,
    Lang::Slv,
    Lang::Bel,
    Lang::Ara,
    Lang::Heb,
    Lang::Jpn,
    Lang::Cmn,
    Lang::Kor,
];

fn detector() -> &'static whatlang::Detector {
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    DETECTOR.get_or_init(|| whatlang::Detector::with_allowlist(LANGUAGES.to_vec()))
}

/// The ISO 639-1 code of the text's language (ISO 639-3 where 639-1 has none), when
/// whatlang is reliably sure.
pub(crate) fn detect_language(text: &str) -> Option<String> {
    if text.chars().count() < MIN_CHARS {
        return None;
    }
    // Whatlang's cost grows with the input; the first two thousand characters decide.
    let end = text.char_indices().nth(2000).map_or(text.len(), |(i, _)| i);
    let sample = &text[..end];
    let info = detector().detect(sample)?;
    if info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    Some(
        iso_639_1(info.lang())
            .unwrap_or(info.lang().code())
            .to_string(),
    )
}

fn iso_639_1(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Pol => "pl",
        Lang::Ukr => "uk",
        Lang::Rus => "ru",
        Lang::Spa => "es",
        Lang::Ita => "it",
        Lang::Por => "pt",
        Lang::Nld => "nl",
        Lang::Ces => "cs",
        Lang::Slk => "sk",
        Lang::Hun => "hu",
        Lang::Ron => "ro",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "nb",
        Lang::Fin => "fi",
        Lang::Est => "et",
        Lang::Lav => "lv",
        Lang::Lit => "lt",
        Lang::Ell => "el",
        Lang::Tur => "tr",
        Lang::Bul => "bg",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Slv => "sl",
        Lang::Bel => "be",
        Lang::Ara => "ar",
        Lang::Heb => "he",
        Lang::Jpn => "ja",
        Lang::Cmn => "zh",
        Lang::Kor => "ko",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_story_languages() {
        for (text, code) in [
            (
                "Leaders of the coalition met in Paris on Tuesday to agree security guarantees.",
                "en",
            ),
            (
                "Les dirigeants de la coalition se sont réunis mardi à Paris pour les garanties de sécurité.",
                "fr",
            ),
            (
                "Die Staats- und Regierungschefs trafen sich am Dienstag in Paris zu Sicherheitsgarantien.",
                "de",
            ),
            (
                "Przywódcy koalicji chętnych spotkali się we wtorek w Paryżu w sprawie gwarancji bezpieczeństwa.",
                "pl",
            ),
            (
                "Лідери коаліції охочих зустрілися у вівторок у Парижі щодо гарантій безпеки для України.",
                "uk",
            ),
        ] {
            assert_eq!(detect_language(text).as_deref(), Some(code), "{text}");
        }
        assert_eq!(detect_language("ok"), None);
        assert_eq!(
            detect_language("Zelensky said the draft U.S. guarantee, an Article 5-like backstop for Ukraine, would run 15 years.").as_deref(),
            Some("en"),
            "short English is not Norwegian"
        );
    }
}
