//! Tables of Vietnamese phrases in each broken form → the clean text, texts that must stay as
//! they are, and the properties every repair keeps.
//!
//! The broken forms were made from the clean phrases by real encoders (glibc iconv for TCVN3 and
//! windows-1258, Python's codecs for the mojibake, the VNI-Windows table for VNI), then shown as
//! windows-1252 shows those bytes.

use pretty_assertions::assert_eq;
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::{Fix, Legacy, repair_html, repair_item, repair_text};
use crate::model::RawItem;

const TCVN3: &[(&str, &str)] = &[
    ("V¨n ho¸ Th«ng tin", "Văn hoá Thông tin"),
    ("QuyÕt ®Þnh cña Bé tr\u{ad}ëng Bé V¨n ho¸", "Quyết định của Bộ trưởng Bộ Văn hoá"),
    ("§¶ng bé tØnh Hµ Nam l·nh ®¹o", "Đảng bộ tỉnh Hà Nam lãnh đạo"),
    ("Xin chµo c¸c b¹n", "Xin chào các bạn"),
    ("Ng\u{ad}êi d©n ®æ ra ®\u{ad}êng phè", "Người dân đổ ra đường phố"),
    ("Tr\u{ad}êng häc më cöa trë l¹i", "Trường học mở cửa trở lại"),
    ("Thêi tiÕt h«m nay cã m\u{ad}a rµo", "Thời tiết hôm nay có mưa rào"),
    ("Chñ tÞch n\u{ad}íc tiÕp ®oµn ®¹i biÓu", "Chủ tịch nước tiếp đoàn đại biểu"),
    ("Së Gi¸o dôc vµ §µo t¹o", "Sở Giáo dục và Đào tạo"),
    ("¦u tiªn ph¸t triÓn kinh tÕ", "Ưu tiên phát triển kinh tế"),
    ("¥n nghÜa sinh thµnh", "Ơn nghĩa sinh thành"),
    ("Ph\u{ad}êng Lª Hång Phong", "Phường Lê Hồng Phong"),
    ("H\u{ad}íng dÉn thñ tôc hµnh chÝnh", "Hướng dẫn thủ tục hành chính"),
    ("Nh÷ng ng\u{ad}êi lÝnh trÎ", "Những người lính trẻ"),
    ("L\u{ad}u ý khi ®i ®\u{ad}êng", "Lưu ý khi đi đường"),
    ("Söa ch÷a cÇu Yªn LÖnh", "Sửa chữa cầu Yên Lệnh"),
    ("Cê ®á sao vµng míi lín më cöa bì ngì lîi Ých", "Cờ đỏ sao vàng mới lớn mở cửa bỡ ngỡ lợi ích"),
    ("Héi nghÞ tæng kÕt c«ng t¸c n¨m 2024", "Hội nghị tổng kết công tác năm 2024"),
    (
        "Kû niÖm ngµy thµnh lËp Qu©n ®éi nh©n d©n ViÖt Nam",
        "Kỷ niệm ngày thành lập Quân đội nhân dân Việt Nam",
    ),
    ("§ång chÝ NguyÔn V¨n Th¾ng ph¸t biÓu", "Đồng chí Nguyễn Văn Thắng phát biểu"),
    ("KhuyÕn khÝch ®Çu t\u{ad} vµo n«ng nghiÖp", "Khuyến khích đầu tư vào nông nghiệp"),
    ("BÖnh viÖn §a khoa tØnh qu¸ t¶i", "Bệnh viện Đa khoa tỉnh quá tải"),
    ("Häc sinh giái quèc gia ®\u{ad}îc khen th\u{ad}ëng", "Học sinh giỏi quốc gia được khen thưởng"),
    ("¤ng §Æng Quèc Kh¸nh nãi", "Ông Đặng Quốc Khánh nói"),
    ("¦ng thuËn", "Ưng thuận"),
    ("õ th× cø thÕ löa ®á gi÷a rõng sù thËt", "ừ thì cứ thế lửa đỏ giữa rừng sự thật"),
    ("§¶NG CéNG S¶N VIÖT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
    ("TH«NG B¸O KHÈN", "THÔNG BÁO KHẨN"),
];

const VNI: &[(&str, &str)] = &[
    ("Vaên hoaù Thoâng tin", "Văn hoá Thông tin"),
    ("Quyeát ñònh cuûa Boä tröôûng Boä Vaên hoaù", "Quyết định của Bộ trưởng Bộ Văn hoá"),
    ("Ñaûng boä tænh Haø Nam laõnh ñaïo", "Đảng bộ tỉnh Hà Nam lãnh đạo"),
    ("Xin chaøo caùc baïn", "Xin chào các bạn"),
    ("Ngöôøi daân ñoå ra ñöôøng phoá", "Người dân đổ ra đường phố"),
    ("Tröôøng hoïc môû cöûa trôû laïi", "Trường học mở cửa trở lại"),
    ("Thôøi tieát hoâm nay coù möa raøo", "Thời tiết hôm nay có mưa rào"),
    ("Chuû tòch nöôùc tieáp ñoaøn ñaïi bieåu", "Chủ tịch nước tiếp đoàn đại biểu"),
    ("Sôû Giaùo duïc vaø Ñaøo taïo", "Sở Giáo dục và Đào tạo"),
    ("Öu tieân phaùt trieån kinh teá", "Ưu tiên phát triển kinh tế"),
    ("Ôn nghóa sinh thaønh", "Ơn nghĩa sinh thành"),
    ("Phöôøng Leâ Hoàng Phong", "Phường Lê Hồng Phong"),
    ("Höôùng daãn thuû tuïc haønh chính", "Hướng dẫn thủ tục hành chính"),
    ("Nhöõng ngöôøi lính treû", "Những người lính trẻ"),
    ("Löu yù khi ñi ñöôøng", "Lưu ý khi đi đường"),
    ("Söûa chöõa caàu Yeân Leänh", "Sửa chữa cầu Yên Lệnh"),
    ("ÖØ thì cöù theá löûa ñoû giöõa röøng söï thaät", "Ừ thì cứ thế lửa đỏ giữa rừng sự thật"),
    (
        "Côø ñoû sao vaøng môùi lôùn môû cöûa bôõ ngôõ lôïi ích",
        "Cờ đỏ sao vàng mới lớn mở cửa bỡ ngỡ lợi ích",
    ),
    ("Hoäi nghò toång keát coâng taùc naêm 2024", "Hội nghị tổng kết công tác năm 2024"),
    (
        "Kyû nieäm ngaøy thaønh laäp Quaân ñoäi nhaân daân Vieät Nam",
        "Kỷ niệm ngày thành lập Quân đội nhân dân Việt Nam",
    ),
    ("Ñoàng chí Nguyeãn Vaên Thaéng phaùt bieåu", "Đồng chí Nguyễn Văn Thắng phát biểu"),
    ("Khuyeán khích ñaàu tö vaøo noâng nghieäp", "Khuyến khích đầu tư vào nông nghiệp"),
    ("Beänh vieän Ña khoa tænh quaù taûi", "Bệnh viện Đa khoa tỉnh quá tải"),
    ("Hoïc sinh gioûi quoác gia ñöôïc khen thöôûng", "Học sinh giỏi quốc gia được khen thưởng"),
    ("OÂng Ñaëng Quoác Khaùnh noùi", "Ông Đặng Quốc Khánh nói"),
    ("Öng thuaän", "Ưng thuận"),
    ("ÑAÛNG COÄNG SAÛN VIEÄT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
];

const WINDOWS_1258: &[(&str, &str)] = &[
    ("Quyêìt ðiònh cuÒa Bôò trýõÒng Bôò Vãn hoaì", "Quyết định của Bộ trưởng Bộ Văn hoá"),
    ("ÐaÒng bôò tiÒnh HaÌ Nam laÞnh ðaòo", "Đảng bộ tỉnh Hà Nam lãnh đạo"),
    ("Xin chaÌo caìc baòn", "Xin chào các bạn"),
    ("NgýõÌi dân ðôÒ ra ðýõÌng phôì", "Người dân đổ ra đường phố"),
    ("TrýõÌng hoòc mõÒ cýÒa trõÒ laòi", "Trường học mở cửa trở lại"),
    ("ThõÌi tiêìt hôm nay coì mýa raÌo", "Thời tiết hôm nay có mưa rào"),
    ("ChuÒ tiòch nýõìc tiêìp ðoaÌn ðaòi biêÒu", "Chủ tịch nước tiếp đoàn đại biểu"),
    ("SõÒ Giaìo duòc vaÌ ÐaÌo taòo", "Sở Giáo dục và Đào tạo"),
    ("Ýu tiên phaìt triêÒn kinh têì", "Ưu tiên phát triển kinh tế"),
    ("Õn nghiÞa sinh thaÌnh", "Ơn nghĩa sinh thành"),
    ("PhýõÌng Lê HôÌng Phong", "Phường Lê Hồng Phong"),
    ("Hýõìng dâÞn thuÒ tuòc haÌnh chiình", "Hướng dẫn thủ tục hành chính"),
    ("NhýÞng ngýõÌi liình treÒ", "Những người lính trẻ"),
    ("Lýu yì khi ði ðýõÌng", "Lưu ý khi đi đường"),
    ("SýÒa chýÞa câÌu Yên Lêònh", "Sửa chữa cầu Yên Lệnh"),
    ("ÝÌ thiÌ cýì thêì lýÒa ðoÒ giýÞa rýÌng sýò thâòt", "Ừ thì cứ thế lửa đỏ giữa rừng sự thật"),
    (
        "CõÌ ðoÒ sao vaÌng mõìi lõìn mõÒ cýÒa bõÞ ngõÞ lõòi iìch",
        "Cờ đỏ sao vàng mới lớn mở cửa bỡ ngỡ lợi ích",
    ),
    ("Hôòi nghiò tôÒng kêìt công taìc nãm 2024", "Hội nghị tổng kết công tác năm 2024"),
    (
        "KyÒ niêòm ngaÌy thaÌnh lâòp Quân ðôòi nhân dân Viêòt Nam",
        "Kỷ niệm ngày thành lập Quân đội nhân dân Việt Nam",
    ),
    ("ÐôÌng chiì NguyêÞn Vãn Thãìng phaìt biêÒu", "Đồng chí Nguyễn Văn Thắng phát biểu"),
    ("Khuyêìn khiìch ðâÌu tý vaÌo nông nghiêòp", "Khuyến khích đầu tư vào nông nghiệp"),
    ("Bêònh viêòn Ða khoa tiÒnh quaì taÒi", "Bệnh viện Đa khoa tỉnh quá tải"),
    ("Hoòc sinh gioÒi quôìc gia ðýõòc khen thýõÒng", "Học sinh giỏi quốc gia được khen thưởng"),
    ("Ông Ðãòng Quôìc Khaình noìi", "Ông Đặng Quốc Khánh nói"),
    ("Ýng thuâòn", "Ưng thuận"),
    ("ÐAÒNG CÔòNG SAÒN VIÊòT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
];

const MOJIBAKE_1252: &[(&str, &str)] = &[
    ("VÄƒn hoÃ¡ ThÃ´ng tin", "Văn hoá Thông tin"),
    ("Quyáº¿t Ä‘á»‹nh cá»§a Bá»™ trÆ°á»Ÿng Bá»™ VÄƒn hoÃ¡", "Quyết định của Bộ trưởng Bộ Văn hoá"),
    ("Ä\u{90}áº£ng bá»™ tá»‰nh HÃ\u{a0} Nam lÃ£nh Ä‘áº¡o", "Đảng bộ tỉnh Hà Nam lãnh đạo"),
    ("Xin chÃ\u{a0}o cÃ¡c báº¡n", "Xin chào các bạn"),
    ("NgÆ°á»\u{9d}i dÃ¢n Ä‘á»• ra Ä‘Æ°á»\u{9d}ng phá»‘", "Người dân đổ ra đường phố"),
    ("TrÆ°á»\u{9d}ng há»\u{8d}c má»Ÿ cá»\u{ad}a trá»Ÿ láº¡i", "Trường học mở cửa trở lại"),
    ("Thá»\u{9d}i tiáº¿t hÃ´m nay cÃ³ mÆ°a rÃ\u{a0}o", "Thời tiết hôm nay có mưa rào"),
    ("Chá»§ tá»‹ch nÆ°á»›c tiáº¿p Ä‘oÃ\u{a0}n Ä‘áº¡i biá»ƒu", "Chủ tịch nước tiếp đoàn đại biểu"),
    ("Sá»Ÿ GiÃ¡o dá»¥c vÃ\u{a0} Ä\u{90}Ã\u{a0}o táº¡o", "Sở Giáo dục và Đào tạo"),
    ("Æ¯u tiÃªn phÃ¡t triá»ƒn kinh táº¿", "Ưu tiên phát triển kinh tế"),
    ("Æ\u{a0}n nghÄ©a sinh thÃ\u{a0}nh", "Ơn nghĩa sinh thành"),
    ("PhÆ°á»\u{9d}ng LÃª Há»“ng Phong", "Phường Lê Hồng Phong"),
    ("HÆ°á»›ng dáº«n thá»§ tá»¥c hÃ\u{a0}nh chÃ\u{ad}nh", "Hướng dẫn thủ tục hành chính"),
    ("Nhá»¯ng ngÆ°á»\u{9d}i lÃ\u{ad}nh tráº»", "Những người lính trẻ"),
    ("LÆ°u Ã½ khi Ä‘i Ä‘Æ°á»\u{9d}ng", "Lưu ý khi đi đường"),
    ("Sá»\u{ad}a chá»¯a cáº§u YÃªn Lá»‡nh", "Sửa chữa cầu Yên Lệnh"),
    (
        "á»ª thÃ¬ cá»© tháº¿ lá»\u{ad}a Ä‘á»\u{8f} giá»¯a rá»«ng sá»± tháº\u{ad}t",
        "Ừ thì cứ thế lửa đỏ giữa rừng sự thật",
    ),
    (
        "Cá»\u{9d} Ä‘á»\u{8f} sao vÃ\u{a0}ng má»›i lá»›n má»Ÿ cá»\u{ad}a bá»¡ ngá»¡ lá»£i Ã\u{ad}ch",
        "Cờ đỏ sao vàng mới lớn mở cửa bỡ ngỡ lợi ích",
    ),
    ("Há»™i nghá»‹ tá»•ng káº¿t cÃ´ng tÃ¡c nÄƒm 2024", "Hội nghị tổng kết công tác năm 2024"),
    (
        "Ká»· niá»‡m ngÃ\u{a0}y thÃ\u{a0}nh láº\u{ad}p QuÃ¢n Ä‘á»™i nhÃ¢n dÃ¢n Viá»‡t Nam",
        "Kỷ niệm ngày thành lập Quân đội nhân dân Việt Nam",
    ),
    ("Ä\u{90}á»“ng chÃ\u{ad} Nguyá»…n VÄƒn Tháº¯ng phÃ¡t biá»ƒu", "Đồng chí Nguyễn Văn Thắng phát biểu"),
    ("Khuyáº¿n khÃ\u{ad}ch Ä‘áº§u tÆ° vÃ\u{a0}o nÃ´ng nghiá»‡p", "Khuyến khích đầu tư vào nông nghiệp"),
    ("Bá»‡nh viá»‡n Ä\u{90}a khoa tá»‰nh quÃ¡ táº£i", "Bệnh viện Đa khoa tỉnh quá tải"),
    (
        "Há»\u{8d}c sinh giá»\u{8f}i quá»‘c gia Ä‘Æ°á»£c khen thÆ°á»Ÿng",
        "Học sinh giỏi quốc gia được khen thưởng",
    ),
    ("Ã”ng Ä\u{90}áº·ng Quá»‘c KhÃ¡nh nÃ³i", "Ông Đặng Quốc Khánh nói"),
    ("Æ¯ng thuáº\u{ad}n", "Ưng thuận"),
    ("Ä\u{90}áº¢NG Cá»˜NG Sáº¢N VIá»†T NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
];

const MOJIBAKE_MAC: &[(&str, &str)] = &[
    ("VƒÉn ho√° Th√¥ng tin", "Văn hoá Thông tin"),
    ("Quy·∫øt ƒë·ªãnh c·ªßa B·ªô tr∆∞·ªüng B·ªô VƒÉn ho√°", "Quyết định của Bộ trưởng Bộ Văn hoá"),
    ("ƒê·∫£ng b·ªô t·ªânh H√† Nam l√£nh ƒë·∫°o", "Đảng bộ tỉnh Hà Nam lãnh đạo"),
    ("Xin ch√†o c√°c b·∫°n", "Xin chào các bạn"),
    ("Ng∆∞·ªùi d√¢n ƒë·ªï ra ƒë∆∞·ªùng ph·ªë", "Người dân đổ ra đường phố"),
    ("Tr∆∞·ªùng h·ªçc m·ªü c·ª≠a tr·ªü l·∫°i", "Trường học mở cửa trở lại"),
    ("Th·ªùi ti·∫øt h√¥m nay c√≥ m∆∞a r√†o", "Thời tiết hôm nay có mưa rào"),
    ("Ch·ªß t·ªãch n∆∞·ªõc ti·∫øp ƒëo√†n ƒë·∫°i bi·ªÉu", "Chủ tịch nước tiếp đoàn đại biểu"),
    ("S·ªü Gi√°o d·ª•c v√† ƒê√†o t·∫°o", "Sở Giáo dục và Đào tạo"),
    ("∆Øu ti√™n ph√°t tri·ªÉn kinh t·∫ø", "Ưu tiên phát triển kinh tế"),
    ("∆†n nghƒ©a sinh th√†nh", "Ơn nghĩa sinh thành"),
    ("Ph∆∞·ªùng L√™ H·ªìng Phong", "Phường Lê Hồng Phong"),
    ("H∆∞·ªõng d·∫´n th·ªß t·ª•c h√†nh ch√≠nh", "Hướng dẫn thủ tục hành chính"),
    ("Nh·ªØng ng∆∞·ªùi l√≠nh tr·∫ª", "Những người lính trẻ"),
    ("L∆∞u √Ω khi ƒëi ƒë∆∞·ªùng", "Lưu ý khi đi đường"),
    ("S·ª≠a ch·ªØa c·∫ßu Y√™n L·ªánh", "Sửa chữa cầu Yên Lệnh"),
    ("·ª™ th√¨ c·ª© th·∫ø l·ª≠a ƒë·ªè gi·ªØa r·ª´ng s·ª± th·∫≠t", "Ừ thì cứ thế lửa đỏ giữa rừng sự thật"),
    (
        "C·ªù ƒë·ªè sao v√†ng m·ªõi l·ªõn m·ªü c·ª≠a b·ª° ng·ª° l·ª£i √≠ch",
        "Cờ đỏ sao vàng mới lớn mở cửa bỡ ngỡ lợi ích",
    ),
    ("H·ªôi ngh·ªã t·ªïng k·∫øt c√¥ng t√°c nƒÉm 2024", "Hội nghị tổng kết công tác năm 2024"),
    (
        "K·ª∑ ni·ªám ng√†y th√†nh l·∫≠p Qu√¢n ƒë·ªôi nh√¢n d√¢n Vi·ªát Nam",
        "Kỷ niệm ngày thành lập Quân đội nhân dân Việt Nam",
    ),
    ("ƒê·ªìng ch√≠ Nguy·ªÖn VƒÉn Th·∫Øng ph√°t bi·ªÉu", "Đồng chí Nguyễn Văn Thắng phát biểu"),
    ("Khuy·∫øn kh√≠ch ƒë·∫ßu t∆∞ v√†o n√¥ng nghi·ªáp", "Khuyến khích đầu tư vào nông nghiệp"),
    ("B·ªánh vi·ªán ƒêa khoa t·ªânh qu√° t·∫£i", "Bệnh viện Đa khoa tỉnh quá tải"),
    ("H·ªçc sinh gi·ªèi qu·ªëc gia ƒë∆∞·ª£c khen th∆∞·ªüng", "Học sinh giỏi quốc gia được khen thưởng"),
    ("√îng ƒê·∫∑ng Qu·ªëc Kh√°nh n√≥i", "Ông Đặng Quốc Khánh nói"),
    ("∆Øng thu·∫≠n", "Ưng thuận"),
    ("ƒê·∫¢NG C·ªòNG S·∫¢N VI·ªÜT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
];

fn check(table: &[(&str, &str)], fix: Fix) {
    for (broken, clean) in table {
        let repaired = repair_text(broken);
        assert_eq!(repaired.text, *clean, "{broken}");
        assert_eq!(repaired.fixes, vec![fix], "{broken}");
        assert!(!repaired.suspicious, "{broken}");
    }
}

/// A line is judged as it will be published (NFC): decomposed tones in it change no decision,
/// so the published text, repaired again, stays as it is.
#[test]
fn decomposed_tones_do_not_change_the_decision() {
    for line in ["ä ø (Dân trí) - Quô\u{301}c hô\u{323}i", "V¨n ho¸ cña Quô\u{301}c hô\u{323}i"] {
        let nfc: String = line.nfc().collect();
        let repaired = repair_text(line).text;
        assert_eq!(repaired, repair_text(&nfc).text, "{line}");
        assert_eq!(repair_text(&repaired).text, repaired, "{line}");
    }
}

#[test]
fn tcvn3_phrases() {
    check(TCVN3, Fix::Legacy(Legacy::Tcvn3));
}

#[test]
fn vni_phrases() {
    check(VNI, Fix::Legacy(Legacy::Vni));
}

#[test]
fn windows_1258_shown_as_1252() {
    check(WINDOWS_1258, Fix::Legacy(Legacy::Windows1258));
}

#[test]
fn utf8_read_as_windows_1252() {
    check(MOJIBAKE_1252, Fix::Windows1252Mojibake);
}

#[test]
fn utf8_read_as_mac_roman() {
    check(MOJIBAKE_MAC, Fix::MacRomanMojibake);
}

/// Text that is fine as it is: repairs must not touch a single character of it.
const UNCHANGED: &[&str] = &[
    "Văn hoá Thông tin",
    "Văn hóa - Xã hội",
    "Sáng 27/11, Ban Tuyên giáo Trung ương phối hợp với Tỉnh ủy Hòa Bình tổ chức hội nghị.",
    "Xin chào các bạn, tôi là người Hà Nam.",
    "Cá và gà ở nhà bà",
    "Hoà bình, hòa bình; thuỷ lợi, thủy lợi; kỹ thuật, kĩ thuật",
    "ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM",
    "TP.HCM: 4,5 tỷ đồng cho 1.000 hộ dân (15/4/2024)",
    "Ô tô đâm xe máy, ông Út bị thương",
    "Café au lait, très élégant, déjà vu; où est la gare ? Où ?",
    "Größe, Müller, Straße, Äpfel, Übermut",
    "São Paulo, NÃO, coração, Ação",
    "Señor Muñoz, año, niño",
    "Pelé, José, André, Zoë, naïve, Noël, Chloé",
    "CAFÉ… RÉSUMÉ — «Le Monde» © 2024 Microsoft® 30°C ±2 ½ §3",
    "fn main() { let x = vec![1, 2]; println!(\"{x:?}\"); }",
    "<p class=\"sapo\">Tin mới</p>",
    "The quick brown fox jumps over the lazy dog.",
    "Hello, World! ¿Qué tal? ¡Hola!",
    "Ông Nguyễn Văn A, 45 tuổi, ở xã Thanh Hà",
    "Chloë Grace Moretz, Beyoncé, Renée Zellweger",
    "ô ô ô",
    "Hồ Chí Minh – Đảng bộ – “trích dẫn” … ‘ngoặc đơn’",
    "Vie\u{302}\u{323}t Nam",
];

#[test]
fn good_text_is_left_alone() {
    for text in UNCHANGED {
        let repaired = repair_text(text);
        assert_eq!(repaired.text, *text, "{text}");
        assert_eq!(repaired.fixes, vec![], "{text}");
        assert!(!repaired.suspicious, "{text}");
    }
}

#[test]
fn a_legacy_block_inside_good_text() {
    // one TCVN3 paragraph in an otherwise fine page; the lines are judged separately
    let text = "Báo Hà Nam\nQuyÕt ®Þnh cña Bé tr\u{ad}ëng Bé V¨n ho¸\nCafé au lait";
    assert_eq!(repair_text(text).text, "Báo Hà Nam\nQuyết định của Bộ trưởng Bộ Văn hoá\nCafé au lait");
    // a mixed line converts only the words that were gibberish
    let mixed = "Thông báo: V¨n ho¸ Th«ng tin";
    assert_eq!(repair_text(mixed).text, "Thông báo: Văn hoá Thông tin");
}

#[test]
fn html_blocks_across_inline_tags() {
    let html =
        "<p class=\"x\">V¨n <b>ho¸</b> Th«ng tin</p><p>Café <i>au lait</i></p><p>Xin chaøo caùc baïn</p>";
    let repaired = repair_html(html);
    assert_eq!(
        repaired.text,
        "<p class=\"x\">Văn <b>hoá</b> Thông tin</p><p>Café <i>au lait</i></p><p>Xin chào các bạn</p>"
    );
    assert_eq!(repaired.fixes, vec![Fix::Legacy(Legacy::Tcvn3), Fix::Legacy(Legacy::Vni)]);
}

#[test]
fn mojibake_with_lost_bytes() {
    for (broken, clean) in [
        // NBSP of "à" (C3 A0) turned into a space by an editor
        ("Xin chÃ o cÃ¡c báº¡n vÃ  gia Ä‘Ã¬nh", "Xin chào các bạn và gia đình"),
        // 0x90 of "Đ" (C4 90) dropped, windows-1252 having no character for it
        ("Äáº£ng bá»™ tá»‰nh", "Đảng bộ tỉnh"),
        // 0x9D of "”" dropped
        ("â€œTin nÃ³ngâ€ hÃ´m nay", "“Tin nóng” hôm nay"),
        // double encoding: mojibake of mojibake
        ("VÃ„Æ’n hoÃƒÂ¡", "Văn hoá"),
    ] {
        let repaired = repair_text(broken);
        assert_eq!(repaired.text.split_whitespace().collect::<Vec<_>>().join(" "), clean, "{broken}");
        assert!(!repaired.suspicious, "{broken}");
    }
}

#[test]
fn unrepairable_mojibake_is_flagged() {
    // "á»" one byte short: "ồ" (E1 BB 93) lost its last byte to a line break
    let repaired = repair_text("Há»\nChí Minh Ä‘Ã¢u");
    assert!(repaired.suspicious, "{repaired:?}");
    assert!(repaired.text.ends_with("Chí Minh đâu"), "{repaired:?}");
    // three letters fit "PHÃT" (Á, Í, Ý): no guess, but a warning
    assert!(repair_text("PHÃT TRIá»‚N").suspicious);
}

#[test]
fn one_ambiguous_word_is_not_enough() {
    // "Vãn" is a real syllable; "hoaì" alone is too little evidence of windows-1258
    assert_eq!(repair_text("Vãn hoaì Thông tin").text, "Vãn hoaì Thông tin");
}

#[test]
fn repair_item_fixes_every_field() {
    let raw = RawItem {
        url: "https://example.vn/a.html".into(),
        title: Some("V¨n ho¸ Th«ng tin".into()),
        summary: Some("Xin chÃ o cÃ¡c báº¡n".into()),
        content_html: Some("<p>Xin chaøo caùc baïn</p>".into()),
        paragraphs: vec!["Ng\u{ad}êi d©n ®æ ra ®\u{ad}êng phè".into()],
        author: Some("Nguyá»…n VÄƒn A".into()),
        ..RawItem::default()
    };
    let item = repair_item(raw);
    assert_eq!(item.title.as_deref(), Some("Văn hoá Thông tin"));
    assert_eq!(item.summary.as_deref(), Some("Xin chào các bạn"));
    assert_eq!(item.content_html.as_deref(), Some("<p>Xin chào các bạn</p>"));
    assert_eq!(item.paragraphs, vec!["Người dân đổ ra đường phố".to_string()]);
    assert_eq!(item.author.as_deref(), Some("Nguyễn Văn A"));
}

/// Correct Vietnamese made of the letters the repairs look at.
fn vietnamese() -> impl Strategy<Value = String> {
    let words = UNCHANGED[..7].join(" ");
    let words: Vec<String> = words.split_whitespace().map(str::to_string).collect();
    prop::collection::vec(prop::sample::select(words), 0..20).prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn never_panics_and_is_idempotent(text in any::<String>()) {
        let once = repair_text(&text).text;
        prop_assert_eq!(&repair_text(&once).text, &once);
        let html = repair_html(&text).text;
        prop_assert_eq!(&repair_html(&html).text, &html);
    }

    #[test]
    fn latin1_soup_is_stable(text in "[a-zA-Z \u{a0}-\u{ff}€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]{0,40}") {
        let once = repair_text(&text);
        prop_assert_eq!(&repair_text(&once.text).text, &once.text);
        if !once.fixes.is_empty() {
            prop_assert!(once.text.nfc().eq(once.text.chars()));
        }
    }

    #[test]
    fn ascii_and_vietnamese_are_unchanged(ascii in "[ -~\n]{0,80}", vi in vietnamese()) {
        prop_assert_eq!(repair_text(&ascii).text, ascii.clone());
        prop_assert_eq!(repair_html(&ascii).text, ascii);
        prop_assert_eq!(repair_text(&vi).text, vi);
    }
}

#[test]
fn correct_vietnamese_takes_the_fast_path() {
    for text in [
        "Giá lúa tăng, gió mùa về, người già khoẻ, hoà thuận, thuê nhà, quân đội, yêu nước, tiến bộ",
        "Khánh Hoà – Thanh Hóa: “Tin nóng” 25°C, 1.000₫",
        "TP.HCM, Đắk Lắk, Quảng Ngãi, thuỷ điện",
    ] {
        assert!(super::only_vietnamese(text), "{text}");
    }
    for text in ["Vaên hoaù", "chaÌo caìc", "PhýõÌng", "V¨n ho¸", "Ti\u{ea}\u{301}ng Vi\u{ea}t Ã¡"]
    {
        assert!(!super::only_vietnamese(text), "{text}");
    }
}

proptest! {
    /// Skipping ASCII a word at a time answers as the character-by-character check did.
    #[test]
    fn the_fast_check_answers_as_the_plain_one(
        text in "([a-zA-Z ,.<>=\"/]{0,9}|[àáãảạăằâêôơưđÀÁĐÃÂÌÒÙ]|a\u{301}|[\u{a0}-\u{ff}]|[Ã¨¸«§øïö»¡¢€√∫ÞÒ😀]){0,40}"
    ) {
        let plain = {
            let mut previous = ' ';
            text.chars().all(|c| {
                let fine = c.is_ascii() || super::vietnamese_char(previous, c);
                previous = c;
                fine
            })
        };
        prop_assert_eq!(super::only_vietnamese(&text), plain);
    }
}
