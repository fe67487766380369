//! Category names → ASCII feed file names.

use unicode_normalization::UnicodeNormalization;

/// The ASCII slug of a category name: lower case, words joined by `-`.
/// "Văn hóa - Xã hội" → `van-hoa-xa-hoi`, "Đời sống" → `doi-song` (đ has no decomposition,
/// so it is mapped by transliteration, not by stripping marks).
pub fn slug(name: &str) -> String {
    let nfc: String = name.nfc().collect();
    let ascii = deunicode::deunicode(&nfc).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for word in ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn vietnamese_category_names() {
        for (name, expected) in [
            ("Văn hóa - Xã hội", "van-hoa-xa-hoi"),
            ("Văn hoá - Xã hội", "van-hoa-xa-hoi"),
            ("Đời sống", "doi-song"),
            ("Quốc phòng – An ninh", "quoc-phong-an-ninh"),
            ("Thời sự", "thoi-su"),
            ("  Kinh tế  ", "kinh-te"),
            // NFD input gives the same slug
            ("Gia\u{301}o du\u{323}c", "giao-duc"),
            ("Y tế", "y-te"),
            ("Thể thao 24/7", "the-thao-24-7"),
            ("", ""),
            ("–", ""),
        ] {
            assert_eq!(slug(name), expected, "slug of {name:?}");
        }
    }
}
