use proptest::prelude::*;

use super::*;

fn body(lines: &[&str], author: Option<&str>) -> Vec<String> {
    body_paragraphs(lines, author)
}

#[test]
fn captions_are_recognised() {
    for caption in [
        "Ảnh: Hồng Duy",
        "ẢNH: TTXVN",
        "Ảnh minh họa",
        "Ảnh minh hoạ.",
        "Video: Thu Hương",
        "Nguồn: VTV",
        "Bài và ảnh: Thu Hương",
        "Quang cảnh hội nghị. Ảnh: Hoàng Anh",
        "Đại biểu dự lễ khai mạc (Ảnh: TTXVN)",
    ] {
        assert!(is_caption(caption), "{caption:?} is a caption");
    }
    for text in [
        "Ảnh hưởng của bão số 3 rất lớn.",
        "Videoclip được lan truyền trên mạng.",
        "Nguồn vốn đầu tư công tăng mạnh.",
        "Phát biểu tại hội nghị, ông nói: ảnh hưởng của thiên tai ngày càng nặng nề, chúng ta phải chủ động.",
    ] {
        assert!(!is_caption(text), "{text:?} is story text");
    }
}

#[test]
fn related_boxes_and_widgets_are_recognised() {
    for text in [
        "Tin liên quan",
        "TIN LIÊN QUAN:",
        "Xem thêm: Hà Nam khai mạc lễ hội",
        "Xem thêm",
        "Đọc thêm: Giá vàng hôm nay",
        "Chủ đề: Bầu cử Quốc hội",
        "Tin cùng chuyên mục",
        "Xem thêm video:",
        "To view this video please enable JavaScript, and consider upgrading",
    ] {
        assert!(is_related(text), "{text:?} is a related box");
    }
    for text in [
        "Tin liên quan đến vụ việc được công an xác minh.",
        "Chủ đề của hội nghị năm nay là chuyển đổi số.",
        "Xem thêm nhiều lần, ông vẫn thấy hay.",
    ] {
        assert!(!is_related(text), "{text:?} is story text");
    }
}

#[test]
fn footer_lines_are_recognised() {
    for (text, strong) in [
        ("BÁO HÀ NAM ĐIỆN TỬ", true),
        ("BÁO ĐIỆN TỬ CHÍNH PHỦ", true),
        ("Giấy phép xuất bản số 68/GP-BTTTT do Bộ Thông tin - Truyền thông cấp ngày 16/2/2017", true),
        ("Giấy phép hoạt động báo điện tử số 115/GP-BTTTT", true),
        ("Tổng Biên tập: Lê Hồng Kỳ", true),
        ("Tổng biên tập: Nguyễn Văn A", true),
        ("Phó Tổng Biên tập: Trần B", true),
        ("Cấm sao chép dưới mọi hình thức nếu không có sự chấp thuận bằng văn bản.", true),
        ("Bản quyền thuộc về Báo Hà Nam", true),
        ("© 2024 Báo Hà Nam", true),
        ("Ghi rõ nguồn Báo Hà Nam khi phát hành lại thông tin từ website này", true),
        ("Cơ quan của Đảng bộ Đảng Cộng sản Việt Nam tỉnh Hà Nam", true),
        ("Địa chỉ: Đình Tràng, phường Lam Hạ, thành phố Phủ Lý, tỉnh Hà Nam", false),
        ("Điện thoại: (0226) 3852.773 - 3853.342 | Fax: (0226)3853.342", false),
        ("Email: baohanam.dientu@gmail.com", false),
        ("E-mail: toasoan@baohanam.example", false),
    ] {
        assert_eq!(footer_line(text), Some(strong), "{text:?}");
    }
    for text in [
        "Báo cáo của UBND tỉnh cho thấy tăng trưởng đạt 9,2%.",
        "Giấy phép lái xe hạng A1 được cấp lại trực tuyến.",
        "Tổng biên tập Báo Hà Nam trao giải cho các tác giả.",
        "Bản quyền tác giả là vấn đề được nhiều đại biểu quan tâm.",
    ] {
        assert_eq!(footer_line(text), None, "{text:?} is story text");
    }
}

#[test]
fn bylines_are_short_names_at_the_end() {
    let plain = |text| Para { text, ..Para::default() };
    for text in [
        "Hồng Duy",
        "N. Huyền",
        "T.Nhung",
        "Hoài Phương - Đức Đồng",
        "Nhóm PV Tây Bắc",
        "Xuân Bình (theo ChinaDaily)",
        "Theo Forbes",
        "Theo TTXVN",
        "PV",
        "TTXVN",
        "Minh Anh/VOV.VN",
        "Bài và ảnh: Thu Hương",
        "Ảnh: Hồng Duy",
        "Hà Nam",
    ] {
        assert!(is_byline(&plain(text), None), "{text:?} is a byline");
    }
    for text in [
        "Hội nghị kết thúc tốt đẹp.",
        "Theo kế hoạch, năm 2025 tỉnh sẽ hoàn thành dự án.",
        "Hà Nam đứng thứ 3 cả nước về chỉ số PCI.",
        "Nguyễn Văn A, Chủ tịch UBND tỉnh, phát biểu chỉ đạo tại hội nghị tổng kết.",
    ] {
        assert!(!is_byline(&plain(text), None), "{text:?} is story text");
    }
    // right-aligned or bold, short: a byline whatever it says
    let emphasized =
        Para { text: "Lê Minh (tổng hợp từ báo chí)", emphasized: true, ..Para::default() };
    assert!(is_byline(&emphasized, None));
    // the configured author, even when it looks like a sentence
    assert!(is_byline(&plain("Ban biên tập"), Some("Ban Biên Tập")));
}

#[test]
fn a_scraped_article_keeps_only_its_story() {
    let lines = [
        "Sáng 25/11, tỉnh tổ chức hội nghị tổng kết.",
        "Ảnh: Hồng Duy",
        "Tin liên quan",
        "Các đại biểu thảo luận về kế hoạch năm 2025.",
        "Hội nghị bế mạc lúc 11 giờ./.",
        "Sáng 27/11, khai mạc lễ hội chùa Tam Chúc.",
        "BÁO HÀ NAM ĐIỆN TỬ",
        "Tổng Biên tập: Lê Hồng Kỳ",
    ];
    assert_eq!(
        body(&lines, None),
        [
            "Sáng 25/11, tỉnh tổ chức hội nghị tổng kết.",
            "Các đại biểu thảo luận về kế hoạch năm 2025.",
            "Hội nghị bế mạc lúc 11 giờ./."
        ]
    );
}

#[test]
fn without_an_end_mark_the_footer_and_its_teasers_still_go() {
    let lines = [
        "Chiều 25/11, tại TP. Phủ Lý, Ban Dân vận Tỉnh ủy tổ chức hội nghị.",
        "Dịp này, Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 25 tập thể.",
        "Thu Hương",
        "Sáng 27/11, Sở Văn hóa khai mạc Liên hoan các câu lạc bộ hát chèo.",
        "Chiều 26-11, Công an tỉnh ra quân tổng kiểm soát phương tiện.",
        "BÁO HÀ NAM ĐIỆN TỬ",
        "Giấy phép xuất bản số 68/GP-BTTTT",
        "Địa chỉ: Số 3 đường Lê Chân, phường Phủ Lý",
        "Email: toasoan@baohanam.example",
    ];
    assert_eq!(
        body(&lines, None),
        [
            "Chiều 25/11, tại TP. Phủ Lý, Ban Dân vận Tỉnh ủy tổ chức hội nghị.",
            "Dịp này, Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 25 tập thể.",
        ]
    );
    // the end mark on a line of its own
    let lines = ["Đoạn một.", "Đoạn hai.", "./.", "Sáng 27/11, tin khác.", "Tin khác nữa."];
    assert_eq!(body(&lines, None), ["Đoạn một.", "Đoạn hai."]);
}

#[test]
fn a_lone_address_line_in_a_story_stays() {
    let lines = [
        "Trung tâm tiếp nhận hồ sơ đến hết ngày 30/11.",
        "Địa chỉ: số 5 đường Trần Phú, phường Phủ Lý.",
        "Người dân có thể nộp hồ sơ trực tuyến.",
    ];
    assert_eq!(body(&lines, None), lines);
}

#[test]
fn a_reporter_called_ha_nam_never_removes_the_province() {
    let lines = [
        "Tỉnh Hà Nam vừa khánh thành cầu Hà Nam.",
        "Hà Nam",
        "Hà Nam là tỉnh có tốc độ tăng trưởng cao.",
        "Hà Nam",
    ];
    assert_eq!(
        body(&lines, Some("Hà Nam")),
        ["Tỉnh Hà Nam vừa khánh thành cầu Hà Nam.", "Hà Nam", "Hà Nam là tỉnh có tốc độ tăng trưởng cao."]
    );
    // a body that is only a name is no story
    assert_eq!(body(&["Hà Nam"], Some("Hà Nam")), Vec::<String>::new());
}

#[test]
fn a_long_list_of_names_is_story_text() {
    let lines = [
        "Các cá nhân được khen thưởng gồm:",
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Phạm Thu Dung",
    ];
    assert_eq!(body(&lines, None), lines);
}

proptest! {
    #[test]
    fn body_paragraphs_is_idempotent(lines in prop::collection::vec(
        "(Sáng 27/11, tin|Ảnh: A|Tin liên quan|Hồng Duy|BÁO HÀ NAM ĐIỆN TỬ|Email: a@b.vn|Địa chỉ: x|Đoạn [a-z ]{0,12}\\.|./.|Hết./.|Theo TTXVN)",
        0..12,
    )) {
        let once = body_paragraphs(&lines, Some("Hồng Duy"));
        prop_assert_eq!(body_paragraphs(&once, Some("Hồng Duy")), once.clone());
    }

    #[test]
    fn body_paragraphs_never_panics(lines in prop::collection::vec(any::<String>(), 0..8)) {
        let _ = body_paragraphs(&lines, None);
    }
}

proptest! {
    /// The footer and teaser patterns spell a word boundary as the character after it (or the
    /// end), which keeps the fast regex engine on Vietnamese text: they match exactly what the
    /// patterns with `\b` matched.
    #[test]
    fn boundaries_spelt_out_match_as_before(
        s in "(giấy phép|Giấy phép|GIẤY PHÉP|copyright|Copyright|©|số|SỐ|ſố|gp|Gp|sáng|Chiều|hôm qua|ngày| |\n|\\(|26/10|1|5|-|/|,|x|é|ạ|_|:){0,12}"
    ) {
        let footer = Regex::new(
            r"^(?i:giấy phép\b.{0,80}?(?:số|gp)|(?:phó )?tổng biên tập\s*:|(?:nghiêm )?cấm sao chép|bản quyền (?:thuộc|©|\(c\))|copyright\b|©|ghi rõ nguồn|mọi hình thức sao chép|chịu trách nhiệm (?:xuất bản|nội dung)|cơ quan (?:chủ quản|của đảng bộ|ngôn luận)|trụ sở (?:chính|tòa soạn)\s*:|tòa soạn\s*:)",
        ).unwrap();
        let teaser = Regex::new(
            r"^(?i:(?:rạng |sáng |chiều |tối )?(?:sáng|trưa|chiều|tối|đêm|ngày)(?: qua| nay)?|hôm (?:qua|nay))\s+\(?[0-9]{1,2}[/-][0-9]{1,2}\b",
        ).unwrap();
        prop_assert_eq!(is_strong_footer(&s), footer.is_match(&s));
        prop_assert_eq!(is_teaser(&s), s.chars().count() <= TEASER_CHARS && teaser.is_match(&s));
    }
}

proptest! {
    /// Looking for the colon first changes no answer of the caption test.
    #[test]
    fn captions_are_told_as_before(
        s in "(Ảnh|ảnh minh họa|Nguồn ảnh|Quang cảnh|\\(|\\)|:|\\.| |x|Hoàng Anh|TTXVN){0,10}"
    ) {
        let before = CAPTION_START.is_match(&s) || (s.chars().count() <= 250 && CAPTION_END.is_match(&s));
        prop_assert_eq!(is_caption(&s), before);
    }
}
