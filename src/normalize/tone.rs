//! One tone-placement style for matching: "hòa"/"hoà", "khỏe"/"khoẻ", "thủy"/"thuỷ", "Ủy
//! ban"/"Uỷ ban" are the same word written in the traditional and the newer convention, and both
//! appear on one site (VIETNAMESE.md §5). NFC does not unify them, so a filter written in one style
//! would miss titles written in the other. Only the three open syllable ends where the two styles
//! differ (`oa`, `oe`, `uy` with nothing after them) are touched; the text is otherwise unchanged.

use std::borrow::Cow;

/// Plain vowel, then its five toned forms: grave, acute, hook above, tilde, dot below.
const TONED: [(char, [char; 5]); 10] = [
    ('o', ['ò', 'ó', 'ỏ', 'õ', 'ọ']),
    ('O', ['Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ']),
    ('u', ['ù', 'ú', 'ủ', 'ũ', 'ụ']),
    ('U', ['Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ']),
    ('a', ['à', 'á', 'ả', 'ã', 'ạ']),
    ('A', ['À', 'Á', 'Ả', 'Ã', 'Ạ']),
    ('e', ['è', 'é', 'ẻ', 'ẽ', 'ẹ']),
    ('E', ['È', 'É', 'Ẻ', 'Ẽ', 'Ẹ']),
    ('y', ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ']),
    ('Y', ['Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ']),
];

/// `ó` → (`o`, 1).
fn split(c: char) -> Option<(char, usize)> {
    TONED.iter().find_map(|(plain, toned)| toned.iter().position(|t| *t == c).map(|i| (*plain, i)))
}

fn toned(plain: char, tone: usize) -> Option<char> {
    TONED.iter().find(|(p, _)| *p == plain).map(|(_, toned)| toned[tone])
}

/// NFC text with the tone of a final `oa`/`oe`/`uy` on the second vowel ("hòa" → "hoà",
/// "Thủy" → "Thuỷ"), the newer convention. Borrowed when there is nothing to move.
pub fn tone_on_second_vowel(text: &str) -> Cow<'_, str> {
    let chars: Vec<char> = text.chars().collect();
    let moves = |i: usize| -> Option<(char, char)> {
        let (first, tone) = split(chars[i])?;
        let next = *chars.get(i + 1)?;
        let pair = matches!(
            (first.to_ascii_lowercase(), next.to_ascii_lowercase()),
            ('o', 'a') | ('o', 'e') | ('u', 'y')
        );
        let open = chars.get(i + 2).is_none_or(|c| !c.is_alphanumeric());
        (pair && open).then_some((first, toned(next, tone)?))
    };
    if !(0..chars.len()).any(|i| moves(i).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        match moves(i) {
            Some((first, second)) => {
                out.push(first);
                out.push(second);
                i += 2;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::tone_on_second_vowel;

    #[test]
    fn both_tone_styles_read_alike() {
        for (text, expected) in [
            ("Văn hóa", "Văn hoá"),
            ("Văn hoá", "Văn hoá"),
            ("Khánh Hòa, Thanh Hóa", "Khánh Hoà, Thanh Hoá"),
            ("Sức khỏe", "Sức khoẻ"),
            ("THỦY LỢI", "THUỶ LỢI"),
            ("Ủy ban nhân dân", "Uỷ ban nhân dân"),
            ("Tòa án", "Toà án"),
            // a closed syllable has one way to be written: untouched
            ("Hoàng Sa, hoạt động, khoảng", "Hoàng Sa, hoạt động, khoảng"),
            ("quý, thuở, Ngọc", "quý, thuở, Ngọc"),
            ("", ""),
        ] {
            assert_eq!(tone_on_second_vowel(text), expected, "{text}");
        }
    }

    #[test]
    fn untouched_text_is_borrowed() {
        assert!(matches!(tone_on_second_vowel("Bóng đá Việt Nam"), std::borrow::Cow::Borrowed(_)));
    }
}
