"""Recipients: real "Kính gửi" / "điện:" blocks and "Nơi nhận" blocks from the corpus (file in the
row id), each placed verbatim in a minimal dispatch and run through `extract_text`.

Expected entries are the gold files' (corpus/gold/*.json): every Kính gửi addressee is `to`;
every Nơi nhận entry except "Như trên", "Như Điều x" and "Lưu …" is `cc`; "Body: its units" is one
entry, a plain comma list of separate bodies is split. Names are compared after white space is
collapsed (and old-style tone marks read in the new style, as CONTRACT §3 does); a purpose is checked where the row gives one (the text printed in the parentheses).
"""
from __future__ import annotations

import re

import pytest

from pipeline.extract import extract_text
from pipeline.vntext import new_tones

HEADER = (
    "UBND TỈNH KHÁNH HÒA\n"
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Số: 999/SGDĐT-VP\n"
    "Khánh Hòa, ngày 10 tháng 10 năm 2025\n"
    "V/v triển khai nhiệm vụ năm học 2025-2026\n"
)
BODY = "\nThực hiện kế hoạch năm học, Sở đề nghị các đơn vị triển khai thực hiện nghiêm túc các nội dung trên./.\n"
PLAIN_TAIL = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nNguyễn Văn An\n"


def case(name: str, *values):
    return pytest.param(*values, id=name)


def to_block(kinh_gui: str) -> str:
    """A dispatch whose only addressees are the given Kính gửi block."""
    return HEADER + kinh_gui + BODY + PLAIN_TAIL


def cc_block(noi_nhan: str) -> str:
    """A dispatch with no Kính gửi whose Nơi nhận (with its signature) is the given block."""
    return HEADER + BODY + noi_nhan + "\n"


def to(*names: str) -> list[tuple]:
    return [("to", n) for n in names]


def cc(*names: str, purpose: str | None = None) -> list[tuple]:
    return [("cc", n) if purpose is None else ("cc", n, purpose) for n in names]


def _flat(text: str | None) -> str | None:
    """White space collapsed; old-style tone marks in the new style (CONTRACT §3: uỷ = ủy)."""
    return new_tones(re.sub(r"\s+", " ", text).strip()) if text is not None else None


KINH_GUI_CASES = [
    case("s01-one-line-with-commas",
         to_block(" Kính gửi:  Hiệu trưởng các trường Mầm non, Tiểu học, THCS trên địa bàn huyện.\n"),
         to("Hiệu trưởng các trường Mầm non, Tiểu học, THCS trên địa bàn huyện")),
    case("s02-dash-bullets-after-blank-line",
         to_block("Kính gửi:\n\n- Các phòng giáo dục và đào tạo;\n- Các đơn vị trực thuộc Sở.\n\n"),
         to("Các phòng giáo dục và đào tạo", "Các đơn vị trực thuộc Sở")),
    case("004-flattened-bullets-with-inner-dash",
         to_block("Kính gửi:\n- Bộ Quốc phòng; - Bộ Lao động - Thương binh và Xã hội; - Bộ Tài chính\n\n"),
         to("Bộ Quốc phòng", "Bộ Lao động - Thương binh và Xã hội", "Bộ Tài chính")),
    case("002-seven-flattened-bullets",
         to_block("Kính gửi:\n- Sở Lao động - Thương binh và Xã hội thành phố Cần Thơ; - Sở Lao động - Thương binh và "
                  "Xã hội tỉnh Hưng Yên; - Sở Lao động - Thương binh và Xã hội tỉnh Hòa Bình; - Sở Lao động - "
                  "Thương binh và Xã hội tỉnh Thanh Hóa; - Sở Lao động - Thương binh và Xã hội tỉnh Quảng Trị; - Sở "
                  "Lao động - Thương binh và Xã hội tỉnh Ninh Thuận; - Sở Lao động - Thương binh và Xã hội tỉnh Hậu "
                  "Giang.\n\n"),
         to("Sở Lao động - Thương binh và Xã hội thành phố Cần Thơ",
            "Sở Lao động - Thương binh và Xã hội tỉnh Hưng Yên",
            "Sở Lao động - Thương binh và Xã hội tỉnh Hòa Bình",
            "Sở Lao động - Thương binh và Xã hội tỉnh Thanh Hóa",
            "Sở Lao động - Thương binh và Xã hội tỉnh Quảng Trị",
            "Sở Lao động - Thương binh và Xã hội tỉnh Ninh Thuận",
            "Sở Lao động - Thương binh và Xã hội tỉnh Hậu Giang")),
    case("013-two-flattened-bullets",
         to_block("Kính gửi:\n- Bộ Lao động - Thương binh và Xã hội; - Ủy ban nhân dân tỉnh Nghệ An.\n\n"),
         to("Bộ Lao động - Thương binh và Xã hội", "Ủy ban nhân dân tỉnh Nghệ An")),
    case("006-one-line-not-split-at-comma",
         to_block("Kính gửi: Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố trực thuộc trung ương\n\n"),
         to("Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố trực thuộc trung ương")),
    case("083-one-line-wrapped-before-last-word",
         to_block("Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung\nương\n"),
         to("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương")),
    case("078-one-line-wrapped-after-title",
         to_block("Kính gửi: Bộ trưởng\nBộ Công Thương\n"),
         to("Bộ trưởng Bộ Công Thương")),
    case("075-one-line-wrapped-list-of-heads",
         to_block("Kính gửi: Bộ trưởng, Thủ trưởng các cơ quan ngang Bộ, cơ quan thuộc\nChính phủ\n"),
         to("Bộ trưởng, Thủ trưởng các cơ quan ngang Bộ, cơ quan thuộc Chính phủ")),
    case("082-bullet-wrapped-onto-capitalised-line",
         to_block("Kính gửi:\n- Các bộ, cơ quan ngang bộ, cơ quan thuộc\nChính phủ;\n- Ủy ban nhân dân tỉnh, thành phố "
                  "trực thuộc Trung ương.\n"),
         to("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
            "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương")),
    case("051-bullet-wrapped-onto-lower-case-line",
         to_block("Kính gửi:\n- Các cơ quan chuyên môn, cơ quan hành chính khác\nthuộc Ủy ban nhân dân Thành phố;\n- "
                  "Các đơn vị sự nghiệp công lập trực thuộc Ủy ban nhân dân Thành phố;\n- Ủy ban nhân dân các xã, "
                  "phường và đặc khu.\n"),
         to("Các cơ quan chuyên môn, cơ quan hành chính khác thuộc Ủy ban nhân dân Thành phố",
            "Các đơn vị sự nghiệp công lập trực thuộc Ủy ban nhân dân Thành phố",
            "Ủy ban nhân dân các xã, phường và đặc khu")),
    case("104-three-bullets",
         to_block("Kính gửi:\n- Các Vụ, Cục, đơn vị thuộc Tổng cục Thuế;\n- Cục Thuế các tỉnh, thành phố trực thuộc "
                  "Trung ương;\n- Chi cục Thuế các quận, huyện, thị xã và khu vực.\n\n"),
         to("Các Vụ, Cục, đơn vị thuộc Tổng cục Thuế", "Cục Thuế các tỉnh, thành phố trực thuộc Trung ương",
            "Chi cục Thuế các quận, huyện, thị xã và khu vực")),
    case("053-cong-dien-dien-bullets-wrapped",
         "THỦ TƯỚNG CHÍNH\nPHỦ\n-------\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
         "---------------\nSố: 217/CĐ-TTg\nHà Nội, ngày 16\ntháng 11 năm 2025\n\nCÔNG ĐIỆN\n\nV/V CHỦ ĐỘNG PHÒNG,\n"
         "TRÁNH, ỨNG PHÓ MƯA LŨ TẠI KHU VỰC TRUNG BỘ\n\nTHỦ TƯỚNG CHÍNH PHỦ điện:\n\n- Chủ tịch Ủy ban nhân dân các "
         "tỉnh, thành phố: Hà Tĩnh,\nQuảng Trị, Huế, Đà Nẵng, Quảng Ngãi, Gia Lai, Đắk Lắk, Khánh Hòa;\n\n- Các Bộ: "
         "Quốc phòng, Công an, Nông nghiệp và Môi trường, Xây dựng, Công Thương,\nGiáo dục và Đào tạo, Y tế, Khoa "
         "học và Công nghệ, Văn hóa, Thể thao và Du lịch;\n\n- Chánh Văn phòng Ban chỉ đạo phòng thủ dân sự quốc "
         "gia.\n\nTheo tổng hợp báo cáo nhanh của Bộ Nông nghiệp và Môi trường, mưa lũ diễn biến phức tạp./.\n",
         to("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Hà Tĩnh, Quảng Trị, Huế, Đà Nẵng, Quảng Ngãi, Gia Lai, "
            "Đắk Lắk, Khánh Hòa",
            "Các Bộ: Quốc phòng, Công an, Nông nghiệp và Môi trường, Xây dựng, Công Thương, Giáo dục và Đào tạo, "
            "Y tế, Khoa học và Công nghệ, Văn hóa, Thể thao và Du lịch",
            "Chánh Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia")),
    case("059-cong-dien-dien-five-bullets",
         "THỦ\nTƯỚNG CHÍNH PHỦ\n-------\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
         "---------------\nSố: 232/CĐ-TTg\nHà Nội, ngày 27\ntháng 11 năm 2025\nCÔNG ĐIỆN\nV/V KHẨN TRƯƠNG THỐNG\n"
         "KÊ, RÀ SOÁT, TỔNG HỢP BÁO CÁO THIỆT HẠI VỀ NHÀ Ở CỦA NHÂN DÂN DO MƯA LŨ TẠI KHU\nVỰC NAM TRUNG BỘ\n"
         "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Chủ tịch Ủy ban nhân dân tỉnh Đắk Lắk;\n- Chủ tịch Ủy ban nhân dân tỉnh "
         "Khánh Hòa;\n- Chủ tịch Ủy ban nhân dân tỉnh Gia Lai;\n- Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng;\n- Bộ "
         "trưởng các Bộ: Tài chính, Nông nghiệp và Môi trường, Quốc phòng, Công an,\nGiáo dục và Đào tạo, Y tế.\n"
         "Vừa qua tại khu vực Nam Trung Bộ đã xảy ra đợt mưa\nlũ, ngập lụt lịch sử./.\n",
         to("Chủ tịch Ủy ban nhân dân tỉnh Đắk Lắk", "Chủ tịch Ủy ban nhân dân tỉnh Khánh Hòa",
            "Chủ tịch Ủy ban nhân dân tỉnh Gia Lai", "Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng",
            "Bộ trưởng các Bộ: Tài chính, Nông nghiệp và Môi trường, Quốc phòng, Công an, Giáo dục và Đào tạo, "
            "Y tế")),
]

NOI_NHAN_CASES = [
    case("079-initials-joined-by-a-bare-comma-are-one-name",
         cc_block("Nơi nhận:\n- Như trên;\n- Ủy ban KH,CN&MT của Quốc hội;\n- Bộ VH,TT&DL, Bộ Tài chính;\n"
                  "- Lưu: VT, CN (2).\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nNguyễn Sỹ Hiệp"),
         cc("Ủy ban KH,CN&MT của Quốc hội", "Bộ VH,TT&DL", "Bộ Tài chính")),
    case("001-flattened-comma-rule-and-colon-rule",
         cc_block("Nơi nhận: - Như trên; - TTCP, các PTTg (để b/c); - VPCP: BTCN, các PCN; - Trợ lý TTCP, Cổng "
                  "TTĐTCP; các Vụ: KTTH, QHQT; - Lưu: VT, KGVX (3).\nKT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM Nguyễn "
                  "Khắc Định"),
         cc("TTCP", "các PTTg", purpose="để b/c")
         + cc("VPCP: BTCN, các PCN", "Trợ lý TTCP", "Cổng TTĐTCP", "các Vụ: KTTH, QHQT")),
    case("002-list-of-provinces-stays-one-entry",
         cc_block("Nơi nhận: - Như trên; - UBND các tỉnh Hưng Yên, Hòa Bình, Thanh Hóa, Quảng Trị, Ninh Thuận, Hậu "
                  "Giang; - UBND thành phố Cần Thơ; - Bộ trưởng (để báo cáo); - Lưu: VT, Vụ KHTC.\nKT. BỘ TRƯỞNG "
                  "THỨ TRƯỞNG Lê Tấn Dũng"),
         cc("UBND các tỉnh Hưng Yên, Hòa Bình, Thanh Hóa, Quảng Trị, Ninh Thuận, Hậu Giang", "UBND thành phố Cần Thơ")
         + cc("Bộ trưởng", purpose="để báo cáo")),
    case("013-vpcp-units-and-semicolon-tail",
         cc_block("Nơi nhận: - Như trên; - Thủ tướng CP, các PTTg; - Các Bộ: TC, NV; - VPCP: BTCN, các PCN, Trợ lý "
                  "TTgCP, các Vụ: TCCV, KG V X, TH, TKBT, PL; TGĐ C ổng TTĐT; - Lưu: VT, KTTH (3 )\nKT. BỘ TRƯỞNG, "
                  "CHỦ NHIỆM PHÓ CHỦ NHIỆM Nguyễn Sỹ Hiệp"),
         cc("Thủ tướng CP", "các PTTg", "Các Bộ: TC, NV",
            "VPCP: BTCN, các PCN, Trợ lý TTgCP, các Vụ: TCCV, KG V X, TH, TKBT, PL", "TGĐ C ổng TTĐT")),
    case("015-nineteen-entries-hdnd-ubnd-split",
         cc_block("Nơi nhận: - Ban Bí thư Trung ương Đảng; - Thủ tướng, các Phó Thủ tướng Chính phủ; - Các Bộ, cơ quan "
                  "ngang Bộ, cơ quan thuộc CP; - VP BCĐ TW về phòng, chống tham nhũng; - HĐND, UBND các tỉnh, TP trực "
                  "thuộc Trung ương; - Văn phòng Trung ương và các Ban của Đảng; - Văn phòng Tổng Bí thư; - Văn phòng "
                  "Chủ tịch nước; - Hội đồng Dân tộc và các Ủy ban của Quốc hội; - Văn phòng Quốc hội; - Tòa án nhân "
                  "dân tối cao; - Viện kiểm sát nhân dân tối cao; - Kiểm toán Nhà nước; - Ngân hàng Chính sách xã hội; "
                  "- Ủy ban Trung ương MTTQ Việt Nam; - Cơ quan Trung ương của các đoàn thể; - VPCP: BTCN, các PCN, Trợ "
                  "lý TTCP, Cổng TTĐT, các Vụ, Cục, đơn vị trực thuộc, Công báo; - Lưu: Văn thư, KGVX (3b).\nTHỦ TƯỚNG "
                  "Nguyễn Tấn Dũng"),
         cc("Ban Bí thư Trung ương Đảng", "Thủ tướng", "các Phó Thủ tướng Chính phủ",
            "Các Bộ, cơ quan ngang Bộ, cơ quan thuộc CP", "VP BCĐ TW về phòng, chống tham nhũng", "HĐND",
            "UBND các tỉnh, TP trực thuộc Trung ương", "Văn phòng Trung ương và các Ban của Đảng",
            "Văn phòng Tổng Bí thư", "Văn phòng Chủ tịch nước", "Hội đồng Dân tộc và các Ủy ban của Quốc hội",
            "Văn phòng Quốc hội", "Tòa án nhân dân tối cao", "Viện kiểm sát nhân dân tối cao", "Kiểm toán Nhà nước",
            "Ngân hàng Chính sách xã hội", "Ủy ban Trung ương MTTQ Việt Nam", "Cơ quan Trung ương của các đoàn thể",
            "VPCP: BTCN, các PCN, Trợ lý TTCP, Cổng TTĐT, các Vụ, Cục, đơn vị trực thuộc, Công báo")),
    case("018-nhu-dieu-3-and-purposes-after-semicolons",
         cc_block("Nơi nhận: - Như Điều 3; - Bộ LĐTB&XH; (để báo cáo) - TT Thành ủy; TT HĐND TP; (để báo cáo) - Đ/c "
                  "Chủ tịch UBND TP; (để báo cáo) - Các đ/c PCT UBND TP; - Các đ/c PVP: Lý Văn Giao, Đỗ Đình Hồng; - "
                  "Các phòng: LĐCSXH, TH, KT; - Lưu: VT.\nTM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Huy "
                  "Tưởng"),
         cc("Bộ LĐTB&XH", "TT Thành ủy", "TT HĐND TP", "Đ/c Chủ tịch UBND TP", "Các đ/c PCT UBND TP",
            "Các đ/c PVP: Lý Văn Giao, Đỗ Đình Hồng", "Các phòng: LĐCSXH, TH, KT")),
    case("019-nhu-dieu-3-with-purpose-and-huyen-uy-thanh-uy",
         cc_block("Nơi nhận: - Bộ Giáo dục và Đào tạo; (báo cáo) - Thường trực Tỉnh uỷ; (báo cáo) - Thường trực HĐND "
                  "tỉnh; (báo cáo) - Chủ tịch UBND tỉnh; (báo cáo) - Các PCT UBND tỉnh; - Ủy ban MTTQ và các đoàn thể "
                  "tỉnh; - Ban Tuyên giáo Tỉnh uỷ; - Thường trực Huyện uỷ, Thành uỷ; - Hội Khuyến học tỉnh; - Như Điều "
                  "3 (thực hiện); - Báo Tuyên Quang; - Đài PTTH tỉnh; - Cổng TTĐT tỉnh; - Trưởng phòng: THVX, NC, "
                  "THCBKSTTHC; - Lưu: VT, THVX (VB).\nKT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Việt Phương"),
         cc("Bộ Giáo dục và Đào tạo", "Thường trực Tỉnh uỷ", "Thường trực HĐND tỉnh", "Chủ tịch UBND tỉnh",
            "Các PCT UBND tỉnh", "Ủy ban MTTQ và các đoàn thể tỉnh", "Ban Tuyên giáo Tỉnh uỷ", "Thường trực Huyện uỷ",
            "Thành uỷ", "Hội Khuyến học tỉnh", "Báo Tuyên Quang", "Đài PTTH tỉnh", "Cổng TTĐT tỉnh",
            "Trưởng phòng: THVX, NC, THCBKSTTHC")),
    case("025-comma-before-colon-entry",
         cc_block("Nơi nhận:\n- Như trên;\n- TTg, các PTTg: Vương Đình Huệ, Trịnh Đình Dũng;\n- Ban Chỉ đạo Đổi mới và "
                  "Phát triển doanh nghiệp;\n- VPCP: BTCN, các PCN, TGĐ Cổng TTĐT;\n- Lưu: VT, ĐMDN (2b). Trung Anh "
                  "BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng"),
         cc("TTg", "các PTTg: Vương Đình Huệ, Trịnh Đình Dũng", "Ban Chỉ đạo Đổi mới và Phát triển doanh nghiệp",
            "VPCP: BTCN, các PCN, TGĐ Cổng TTĐT")),
    case("026-short-entries-tl-signature",
         cc_block("Nơi nhận:\n- Như trên;\n- VPCP;\n- VCCI;\n- Lưu: VT, QLKTTW.\nTL.\nBỘ TRƯỞNG CHÁNH VĂN PHÒNG Nguyễn "
                  "Đức Tâm"),
         cc("VPCP", "VCCI")),
    case("044-abbreviated-purposes",
         cc_block("Nơi nhận:\n- Sở GDĐT (bc);\n- Các đơn vị Cụm 2 (ph/h);\n- Lưu: VT, V.\nKT.HIỆU TRƯỞNG\nPHÓ HIỆU "
                  "TRƯỞNG\nTrần Thanh Vũ"),
         cc("Sở GDĐT", purpose="bc") + cc("Các đơn vị Cụm 2", purpose="ph/h")),
    case("046-signature-lines-interleaved",
         cc_block("Nơi nhận: KT. GIÁM ĐỐC\n- Đoàn kiểm tra của Bộ GDĐT (để báo cáo);\nPHÓ GIÁM ĐỐC\n- Ban Giám đốc (để "
                  "báo cáo);\n- Các Phòng, Văn phòng Sở (để phối hợp);\n- UBND các xã, phường (để phối hợp);\n- Các "
                  "trường THPT (để thực hiện);\n- Lưu VT, GDPT. Hiển (3b).\nNguyễn Phương Toàn"),
         cc("Đoàn kiểm tra của Bộ GDĐT", "Ban Giám đốc", purpose="để báo cáo")
         + cc("Các Phòng", "Văn phòng Sở", "UBND các xã, phường", purpose="để phối hợp")
         + cc("Các trường THPT", purpose="để thực hiện")),
    case("047-tm-hoi-dong-interleaved",
         cc_block("Nơi nhận: TM. HỘI ĐỒNG\n- Như trên;\nCHỦ TỊCH\n- UBND Tỉnh (Báo cáo);\n- Sở Nội vụ;\n- Lưu: VT, "
                  "HĐXTH (V3b).\nGIÁM ĐỐC SỞ GIÁO DỤC VÀ\nĐÀO TẠO\nLê Quang Trí"),
         cc("UBND Tỉnh", "Sở Nội vụ")),
    case("048-colon-units-without-space",
         cc_block("Nơi nhận:\n- Như trên;\n- Đ/c PGĐ Phạm Quốc Toản;\n- Đ/c PGĐ Nguyễn Quang Tuấn;\n- Các phòng thuộc "
                  "Sở: GDMN, GDTH, GDTrH, GDTTYTNN, GDNN,GDTXĐH;\n- Lưu: VT, CTTTHSSV.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n"
                  "Nguyễn Quang Tuấn"),
         cc("Đ/c PGĐ Phạm Quốc Toản", "Đ/c PGĐ Nguyễn Quang Tuấn",
            "Các phòng thuộc Sở: GDMN, GDTH, GDTrH, GDTTYTNN, GDNN,GDTXĐH")),
    case("049-purpose-de-phoi-hop-kt-without-dot",
         cc_block("Nơi nhận:\n- Như trên;\n- Giám đốc;\n- Hội Khuyến học TP (để phối hợp);\n- Lưu: VT, GDTXNNĐH "
                  "(ĐPT).\nKT GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nTrương Hải Thanh"),
         cc("Giám đốc") + cc("Hội Khuyến học TP", purpose="để phối hợp")),
    case("052-plain-comma-list-split",
         cc_block("Nơi nhận:\n- Như trên;\n- TTUB: CT, các PCT;\n- VPUB: CVP, các PVP;\n- Phòng Đô thị, TTHCC;\n- Lưu: "
                  "VT, (ĐT/VMN).\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nBùi\nXuân Cường"),
         cc("TTUB: CT, các PCT", "VPUB: CVP, các PVP", "Phòng Đô thị", "TTHCC")),
    case("053-three-media-bodies-split",
         cc_block("Nơi nhận:\n- Như trên;\n- Ban Bí thư Trung ương Đảng;\n- Thủ tướng, các Phó Thủ tướng CP;\n- Văn "
                  "phòng Trung ương Đảng;\n- Văn phòng Chủ tịch nước;\n- Văn phòng Quốc hội;\n- Đài THVN, Đài TNVN, "
                  "TTXVN;\n- VPCP: BTCN, các PCN, Trợ lý TTg, TGĐ Cổng TTĐT, các Vụ: CN, NC;\n- Lưu: Văn thư, NN (2) "
                  "Tuynh\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\nTrần Hồng Hà"),
         cc("Ban Bí thư Trung ương Đảng", "Thủ tướng", "các Phó Thủ tướng CP", "Văn phòng Trung ương Đảng",
            "Văn phòng Chủ tịch nước", "Văn phòng Quốc hội", "Đài THVN", "Đài TNVN", "TTXVN",
            "VPCP: BTCN, các PCN, Trợ lý TTg, TGĐ Cổng TTĐT, các Vụ: CN, NC")),
    case("069-tinh-uy-hdnd-ubnd-and-semicolons-inside-entry",
         cc_block("Nơi nhận:\n- TTgCP, các PTTg CP (để b/c);\n- Các Bộ: YT, CA, XD, QP, TC, TTCP;\n- Tỉnh ủy, HĐND, "
                  "UBND tỉnh Ninh Bình;\n- VPCP: BTCN, các PCN; Trợ lý, Thư ký: TTg, các PTTgCP; các Vụ: KTTH, CN, "
                  "PL,\nQHĐP, NC, V.I, TH; Cổng TTĐT;\n- Lưu: VT, KGVX.ĐQ.\nKT. BỘ TRƯỞNG,\nCHỦ NHIỆM\nPHÓ CHỦ NHIỆM\n"
                  "Đỗ Ngọc Huỳnh"),
         cc("TTgCP", "các PTTg CP", "Các Bộ: YT, CA, XD, QP, TC, TTCP", "Tỉnh ủy", "HĐND", "UBND tỉnh Ninh Bình",
            "VPCP: BTCN, các PCN", "Trợ lý, Thư ký: TTg, các PTTgCP", "các Vụ: KTTH, CN, PL, QHĐP, NC, V.I, TH",
            "Cổng TTĐT")),
    case("071-purpose-wrapped-over-lines",
         cc_block("Nơi nhận:\n- Thủ tướng, PTTg Bùi Thanh Sơn (để\nb/c);\n- Các Bộ: CT, XD;\n- UBND các tỉnh, TP: Hồ Chí "
                  "Minh, Đồng Nai;\n- Các Tập đoàn: EVN, PVN;\n- VPCP: BTCN, PCN Nguyễn Sỹ Hiệp, PCN Phạm Mạnh Cường; "
                  "Trợ lý TTgCP; Cổng\nTTĐT, các Vụ: TH, QHĐP;\n- Lưu: VT,CN (2).\nKT. BỘ TRƯỞNG,\nCHỦ NHIỆM\nPHÓ CHỦ "
                  "NHIỆM\nNguyễn Sỹ Hiệp"),
         cc("Thủ tướng", "PTTg Bùi Thanh Sơn") + cc("Các Bộ: CT, XD", "UBND các tỉnh, TP: Hồ Chí Minh, Đồng Nai",
                                                    "Các Tập đoàn: EVN, PVN",
                                                    "VPCP: BTCN, PCN Nguyễn Sỹ Hiệp, PCN Phạm Mạnh Cường",
                                                    "Trợ lý TTgCP", "Cổng TTĐT, các Vụ: TH, QHĐP")),
    case("073-label-wrapped-noi-nhan",
         cc_block("Nơi\nnhận:\n- Như trên;\n- PTTg Nguyễn Chí Dũng (để b/c);\n- Các Bộ: KHCN, QP, NV, NNMT, TP;\n- VPCP: "
                  "BTCN,\nPCN Phạm Mạnh Cường,\nTrợ lý TTg, các Vụ: NN, PL, NC, TH;\n- Lưu: VT, KGVX (3) Q\nKT. BỘ "
                  "TRƯỞNG,\nCHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nPhạm Mạnh Cường"),
         cc("PTTg Nguyễn Chí Dũng", purpose="để b/c")
         + cc("Các Bộ: KHCN, QP, NV, NNMT, TP", "VPCP: BTCN, PCN Phạm Mạnh Cường, Trợ lý TTg, các Vụ: NN, PL, NC, TH")),
    case("074-purpose-thay-tra-loi",
         cc_block("Nơi\nnhận:\n- Như trên;\n- Thủ tướng Chính phủ;\n- Phó TTgCP Trần Hồng Hà;\n- Bộ Tư pháp;\n- Hiệp hội "
                  "Thức ăn Chăn nuôi (thay trả lời);\n- VPCP: BTCN, PCN Phạm Mạnh Cường,\n- Lưu: VT, NN (2), Loan.\nKT. "
                  "BỘ TRƯỞNG,\nCHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nPhạm Mạnh Cường"),
         cc("Thủ tướng Chính phủ", "Phó TTgCP Trần Hồng Hà", "Bộ Tư pháp")
         + cc("Hiệp hội Thức ăn Chăn nuôi", purpose="thay trả lời") + cc("VPCP: BTCN, PCN Phạm Mạnh Cường")),
    case("082-name-wrapped-in-signature",
         cc_block("Nơi\nnhận:\n- Như trên;\n- Bộ trưởng (để b/c);\n- TTr Vũ Chiến Thắng;\n- Lưu: VT, TCBC.\nKT. BỘ "
                  "TRƯỞNG\nTHỨ TRƯỞNG\nVũ\nChiến Thắng"),
         cc("Bộ trưởng", purpose="để b/c") + cc("TTr Vũ Chiến Thắng")),
    case("085-hdnd-ubnd-split-and-long-purposes",
         cc_block("Nơi nhận:\n- Như trên;\n- Đoàn Chủ tịch UBTWMTTQ Việt Nam;\n- Văn phòng Chính phủ;\n- Thường trực "
                  "HĐND, UBND tỉnh Hà Tĩnh;\n- Trưởng đoàn ĐBQH tỉnh Hà Tĩnh;\n- Văn phòng ĐBQH tỉnh Hà Tĩnh;\n- Thứ "
                  "trưởng Phùng Đức Tiến;\n- Vụ Pháp chế (để tổng hợp, theo dõi);\n- Văn phòng Bộ (để đăng tải trên "
                  "Cổng TTĐT của Bộ);\n- Lưu: VT, CNTY.\nBỘ TRƯỞNG\nTrần Đức Thắng"),
         cc("Đoàn Chủ tịch UBTWMTTQ Việt Nam", "Văn phòng Chính phủ", "Thường trực HĐND", "UBND tỉnh Hà Tĩnh",
            "Trưởng đoàn ĐBQH tỉnh Hà Tĩnh", "Văn phòng ĐBQH tỉnh Hà Tĩnh", "Thứ trưởng Phùng Đức Tiến")
         + cc("Vụ Pháp chế", purpose="để tổng hợp, theo dõi")
         + cc("Văn phòng Bộ", purpose="để đăng tải trên Cổng TTĐT của Bộ")),
    case("086-luu-without-colon-and-split-with-purpose",
         cc_block("Nơi nhận:\n- Lãnh đạo Cục Thuế (để báo cáo);\n- KBNN, Cục DNTN (để phối hợp);\n- Các Ban/đơn vị "
                  "thuộc Cục Thuế (để biết);\n- Thuế các tỉnh/thành phố (để biết);\n- Các Thuế cơ sở (để biết);\n- "
                  "Website Cục Thuế;\n- Lưu VT, VP, CĐS\nTL. CỤC TRƯỞNG\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n"
                  "Phạm Ngọc Lai"),
         cc("Lãnh đạo Cục Thuế", purpose="để báo cáo") + cc("KBNN", "Cục DNTN", purpose="để phối hợp")
         + cc("Các Ban/đơn vị thuộc Cục Thuế", "Thuế các tỉnh/thành phố", "Các Thuế cơ sở", purpose="để biết")
         + cc("Website Cục Thuế")),
    case("094-collective-lists-stay-whole",
         cc_block("Nơi nhận:\n- Thường trực Thành ủy;\n- Thường trực HĐND Thành phố;\n- TTUB: CT, các PCT;\n- Ủy ban "
                  "MTTQVN Thành phố;\n- Các sở, ban, ngành, đoàn thể Thành phố;\n- Ủy ban nhân dân các xã, phường, "
                  "đặc khu;\n- VPUB: CPV, các PCVP;\n- Phòng: TH, VX, NCPC;\n- Lưu: VT, (VX/MT.Tấn).\nKT. CHỦ TỊCH\n"
                  "PHÓ CHỦ TỊCH\nTrần Thị Diệu Thúy"),
         cc("Thường trực Thành ủy", "Thường trực HĐND Thành phố", "TTUB: CT, các PCT", "Ủy ban MTTQVN Thành phố",
            "Các sở, ban, ngành, đoàn thể Thành phố", "Ủy ban nhân dân các xã, phường, đặc khu",
            "VPUB: CPV, các PCVP", "Phòng: TH, VX, NCPC")),
    case("s02-nhu-tren-with-purpose-excluded-markdown",
         cc_block("**Nơi nhận:**\n\n- Như trên (VBĐT-đề th/hiện);\n- UBND tỉnh (VBĐT-đề b/cáo);\n- Phòng PV05-Công an "
                  "tỉnh (đề b/cáo);\n- Ban tuyên giáo tỉnh (VBĐT-đề b/cáo);\n- Giám đốc Sở GDĐT (đề b/cáo);\n- Lưu: VT, "
                  "CTTT.\n\n**KT. GIÁM ĐỐC  \nPHÓ GIÁM ĐỐC**\n\n**Lê Đình Thuần**"),
         cc("UBND tỉnh", "Phòng PV05-Công an tỉnh", "Ban tuyên giáo tỉnh", "Giám đốc Sở GDĐT")),
]


@pytest.mark.parametrize("text, expected", KINH_GUI_CASES + NOI_NHAN_CASES)
def test_recipients(text: str, expected: list[tuple]) -> None:
    recipients = extract_text(text).recipients
    got = [(r.role, _flat(r.name)) + ((_flat(r.purpose),) if len(e) == 3 else ())
           for r, e in zip(recipients, expected)]
    assert len(recipients) == len(expected), [(r.role, r.name) for r in recipients]
    assert got == [(e[0], _flat(e[1])) + tuple(_flat(p) for p in e[2:]) for e in expected]
