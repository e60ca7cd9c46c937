"""Header facts on real header snippets and signature blocks (corpus file in the row id).

One fact per row: `number` (the "Số:" field without "Số:" and spaces; a blank number keeps its
symbol), `issued_date` (ISO; a blank day keeps "YYYY-MM"), `place`, `doc_type` (a "V/v" subject and
no type word is a Công văn), `issuer` / `parent_issuer` (the lower and upper body of the name
block), `urgency` (the stamp, not a word of the subject) and the signer's `name`, `title` (the line
just above the name) and `authority` (KT./TL./TM. line). Expected values are the gold files'
(corpus/gold/*.json) where the document has one. Text values are compared in the CONTRACT §3
normal form (`score_key`): case, white space and old-style tone marks do not count.
"""
from __future__ import annotations

import pytest

from pipeline.evaluate import score_key
from pipeline.extract import extract_text

BODY = "\nĐề nghị các đơn vị triển khai thực hiện nghiêm túc các nội dung trên./.\n"
TAIL = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nNguyễn Văn An\n"
HEADER = (
    "UBND TỈNH KHÁNH HÒA\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nSố: 999/SGDĐT-VP\nKhánh Hòa, ngày 10 tháng 10 năm 2025\n"
    "V/v triển khai nhiệm vụ năm học 2025-2026\nKính gửi: Các đơn vị trực thuộc Sở.\n"
)

# ---------------------------------------------------------------- header snippets, verbatim
H046 = ("UBND TỈNH ĐỒNG THÁP CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh "
        "phúc\nSố: /KH-SGDĐT Đồng Tháp, ngày tháng 4 năm 2026\nKẾ HOẠCH\nĐón tiếp và làm việc với Đoàn kiểm tra của "
        "Bộ Giáo dục và Đào tạo\nvề việc kiểm tra, khảo sát, đánh giá thực trạng sử dụng phòng học bộ môn,\nthiết bị "
        "dạy học trong thực hiện giáo dục STEM\ntại các cơ sở giáo dục trên địa bàn tỉnh Đồng Tháp\n")
H085 = ("BỘ NÔNG NGHIỆP\nVÀ\nMÔI TRƯỜNG\n--------\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "---------------\nSố: 9476 /BNNMT-CNTY\nV/v trả lời bổ sung kiến nghị của cử tri gửi\ntrước Kỳ họp thứ 10, "
        "Quốc hội Khóa XV\nHà Nội, ngày\n24 tháng 11 năm 2025\nKính gửi:\n- Đoàn đại biểu Quốc hội tỉnh Hà Tĩnh;\n- Ủy "
        "ban Dân nguyện và Giám sát Quốc hội.\n")
H048 = ("UBND THÀNH PHỐ HÀ\nNỘI\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\n-------\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự "
        "do - Hạnh phúc\n---------------\nSố: 5095/SGDĐT-CTTTHSSV\nV/v tăng cường các biện pháp cấp bách về\nkiểm "
        "soát ô nhiễm môi trường không khí trên địa bàn Thành phố\nHà Nội, ngày 03\ntháng 12 năm 2025\nKính gửi:\n- "
        "UBND các xã, phường;\n- Các đơn vị, cơ sở giáo dục trực thuộc.\n")
H073 = ("VĂN PHÒNG CHÍNH\nPHỦ\n--------\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "---------------\nSố: 11299/VPCP-KGVX\nV/v\nthành lập Mạng lưới quan trắc và cảnh báo phóng xạ môi trường\nHà "
        "Nội, ngày 18\ntháng 11 năm 2025\nKính gửi: Bộ trưởng Bộ Khoa học và Công nghệ.\n")
H086 = ("BỘ TÀI CHÍNH\nCỤC THUẾ\n-------\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "---------------\nSố: 983/TB-CT\nHà Nội, ngày 21\ntháng 11 năm 2025\nTHÔNG BÁO\nKẾ HOẠCH TẠM DỪNG\nỨNG DỤNG TMS "
        "PHỤC VỤ VIỆC CHUYỂN ĐỔI HỆ THỐNG MÁY CHỦ VÀ LƯU TRỮ CSDL ỨNG DỤNG\nQUẢN LÝ THUẾ TẬP TRUNG (TMS)\n")
H104 = ("Ký bởi: Tổng cục Thuế\nĐịa chỉ: 123 Lò Đúc\nThời gian ký: 10.11.2023 15:36\n\nBỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI "
        "CHỦ NGHĨA VIỆT NAM\nTỎNG CỤC THUÊ Độc lập — Tự do — Hạnh phúc\nsố: 4222 /TCT -PC Hà Nội. ngày 09 tháng 11 năm "
        "2023\n\nV/v tăng cường ky cương, kỷ luật\ntrong việc ban hành công văn\nhướng dẫn về CST, QLT liên\nquan đến "
        "nghĩa vụ thuế của NNT\n\nKính gửi:\n- Các Vụ, Cục, đơn vị thuộc Tổng cục Thuế;\n- Cục Thuế các tỉnh, thành phố "
        "trực thuộc Trung ương;\n- Chi cục Thuế các quận, huyện, thị xã và khu vực.\n")
H047 = ("SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐỒNG THÁP Độc lập - Tự do - Hạnh phúc\nHỘI "
        "ĐỒNG XÉT THĂNG HẠNG\nĐồng Tháp, ngày tháng 4 năm 2026\nCDNN VIÊN CHỨC NĂM 2025\nSố: /BC-HĐXTH\nBÁO CÁO\nKết "
        "quả thẩm định và đề nghị phê duyệt kết quả kỳ xét thăng hạng và công\nnhận kết quả trúng tuyển thăng hạng chức "
        "danh nghề nghiệp viên chức từ\nhạng III lên hạng II đối với giáo viên trường trung học phổ thông trực\nthuộc "
        "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp năm 2025\nKính gửi: Giám đốc Sở Giáo dục và Đào tạo tỉnh Đồng Tháp\n")
H044 = ("SỞ GDĐT TỈNH ĐỒNG THÁP\nTRƯỜNG THPT CAO LÃNH 2\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh "
        "phúc\nSố: 58/KH-THPTCL2\nĐồng Tháp, ngày 15 tháng 4 năm 2026\n\nKẾ HOẠCH\nTổ chức sinh hoạt chuyên môn môn "
        "Lịch sử\nCụm 2 năm học 2025 - 2026\n")
H049 = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\n--------\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT "
        "NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\nSố: 5155/SGDĐT-GDTXNNĐH\nVề hướng dẫn đánh giá, xếp loại "
        "trung tâm\nhọc tập cộng đồng tại phường, xã và đặc khu từ năm 2025\nThành phố Hồ Chí Minh, ngày 28 tháng 11 "
        "năm 2025\nKính gửi: Ủy ban nhân dân phường, xã và đặc khu\n")
H094 = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\n-------\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh "
        "phúc\n---------------\nSố: 172/KH-UBND\nThành phố Hồ Chí\nMinh, ngày 18 tháng 11 năm 2025\n\nKẾ HOẠCH\n\nTRIỂN\n"
        "KHAI THI HÀNH LUẬT VIỆC LÀM TRÊN ĐỊA BÀN THÀNH PHỐ HỒ CHÍ MINH\n")
H001 = ("VĂN PHÒNG CHÍNH PHỦ -------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------\n"
        "Số: 3354/VPCP-KGVX V/v ban hành Thông tư hướng dẫn về quy trình xác định, trình tự thủ tục hồ sơ xác nhận nạn "
        "nhân chất độc hóa học/dioxin do Mỹ sử dụng trong chiến tranh tại Việt Nam\nHà Nội, ngày 26 tháng 04 năm 2013\n"
        "\nKính gửi: Bộ Lao động - Thương binh và Xã hội\n")
H026 = ("BỘ KẾ HOẠCH VÀ ĐẦU TƯ ----------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
        "---------------\nSố: 3397/BKHĐT-QLKTTW V/v hướng dẫn áp dụng quy định tại Điều 162 Luật DN 2014 Hà Nội, ngày "
        "23 tháng 5 năm 2019 Kính gửi: Tổng công ty Khí Việt Nam-CTCP (PV GAS)\n")
H015 = ("THỦ TƯỚNG CHÍNH PHỦ --------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ----------------\n"
        "Số: 31/CT-TTg\nHà Nội, ngày 28 tháng 11 năm 2012\n\nCHỈ THỊ\n\nVỀ VIỆC THỰC HIỆN CÔNG TÁC ĐÀO TẠO NGHỀ, GIẢI "
        "QUYẾT VIỆC LÀM CHO CON LIỆT SĨ, CON THƯƠNG BINH NẶNG, CON BỆNH BINH NẶNG\n")
H019 = ("ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG -------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
        "---------------\nSố: 986/QĐ-UBND\nTuyên Quang, ngày 13 tháng 8 năm 2024\n\nQUYẾT ĐỊNH\n\nBAN HÀNH KẾ HOẠCH THỜI "
        "GIAN NĂM HỌC 2024-2025 ĐỐI VỚI GIÁO DỤC MẦM NON, GIÁO DỤC PHỔ THÔNG VÀ GIÁO DỤC THƯỜNG XUYÊN ÁP DỤNG TRÊN ĐỊA "
        "BÀN TỈNH TUYÊN QUANG\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG\n")
H045 = ("UBND TỈNH ĐỒNG THÁP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 337/QĐ-SGDĐT\nĐồng Tháp, ngày 14 tháng 4 năm 2026\n\nQUYẾT ĐỊNH\nVề việc phê duyệt kết quả kỳ xét thăng "
        "hạng chức danh nghề nghiệp viên chức từ hạng III lên hạng II đối với giáo viên trung học phổ thông công lập đơn "
        "vị trực thuộc Sở Giáo dục và Đào tạo tỉnh Đồng Tháp năm 2025\n\nGIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐỒNG THÁP\n")
H099 = ("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\n-------\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "---------------\nSố: 0129/KH-UBND\nĐắk Lắk, ngày 21\ntháng 11 năm 2025\n\nKẾ HOẠCH\n\nV/V HỖ TRỢ NHU YẾU PHẨM "
        "KHẨN CẤP CHO NHÂN DÂN BỊ ẢNH HƯỞNG\nMƯA LŨ TRÊN ĐỊA BÀN TỈNH ĐẮK LẮK\n")
H059 = ("THỦ\nTƯỚNG CHÍNH PHỦ\n-------\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "---------------\nSố: 232/CĐ-TTg\nHà Nội, ngày 27\ntháng 11 năm 2025\nCÔNG ĐIỆN\nV/V KHẨN TRƯƠNG THỐNG\nKÊ, RÀ "
        "SOÁT, TỔNG HỢP BÁO CÁO THIỆT HẠI VỀ NHÀ Ở CỦA NHÂN DÂN DO MƯA LŨ TẠI KHU\nVỰC NAM TRUNG BỘ\nTHỦ TƯỚNG CHÍNH "
        "PHỦ điện:\n- Chủ tịch Ủy ban nhân dân tỉnh Đắk Lắk;\n")
H063 = ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\n-------\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "---------------\nSố: 06/CT-UBND\nQuảng Trị, ngày\n25 tháng 11 năm 2025\n\n")
HS02 = ("\n\nSố: /SGDDĐT-CTTT\n\nKhánh Hòa, ngày tháng 6 năm 2019\n\nV/v tăng cường công tác xây dựng  \nmô hình tự "
        "quản về an ninh, trật tự  \ntrong nhà trường\n\nKính gửi:\n\n- Các phòng giáo dục và đào tạo;\n- Các đơn vị "
        "trực thuộc Sở.\n")
# realistic Sở GD&ĐT dispatches with an urgency stamp under the number, as Nghị định 30/2020 places it
H_HOA_TOC = ("UBND TỈNH KHÁNH HÒA\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh "
             "phúc\nSố: 2871/SGDĐT-VP\nV/v triển khai các biện pháp ứng phó với bão số 13\nHỎA TỐC\nKhánh Hòa, ngày 06 "
             "tháng 11 năm 2025\nKính gửi: Các cơ sở giáo dục trực thuộc.\n")
H_KHAN = ("UBND HUYỆN CAM LÂM\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh "
          "phúc\nSố: 415/PGDĐT-THCS\nV/v rà soát số liệu học sinh bỏ học\nKHẨN\nCam Lâm, ngày 12 tháng 3 năm 2025\nKính "
          "gửi: Hiệu trưởng các trường THCS trên địa bàn huyện.\n")

# ---------------------------------------------------------------- signature blocks, verbatim (with their Nơi nhận)
T_S02 = ("**Nơi nhận:**\n\n- Như trên (VBĐT-đề th/hiện);\n- UBND tỉnh (VBĐT-đề b/cáo);\n- Lưu: VT, CTTT.\n\n**KT. GIÁM "
         "ĐỐC  \nPHÓ GIÁM ĐỐC**\n\n**Lê Đình Thuần**\n")
T015 = "Nơi nhận: - Ban Bí thư Trung ương Đảng; - Lưu: Văn thư, KGVX (3b).\nTHỦ TƯỚNG Nguyễn Tấn Dũng\n"
T026 = ("Nơi nhận:\n- Như trên;\n- VPCP;\n- VCCI;\n- Lưu: VT, QLKTTW.\nTL.\nBỘ TRƯỞNG CHÁNH VĂN PHÒNG Nguyễn Đức "
        "Tâm\n")
T001 = ("Nơi nhận: - Như trên; - TTCP, các PTTg (để b/c); - VPCP: BTCN, các PCN; - Trợ lý TTCP, Cổng TTĐTCP; các Vụ: "
        "KTTH, QHQT; - Lưu: VT, KGVX (3).\nKT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM Nguyễn Khắc Định\n")
T018 = ("Nơi nhận: - Như Điều 3; - Bộ LĐTB&XH; (để báo cáo) - Các phòng: LĐCSXH, TH, KT; - Lưu: VT.\nTM. ỦY BAN NHÂN "
        "DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Huy Tưởng\n")
T025 = ("Nơi nhận:\n- Như trên;\n- VPCP: BTCN, các PCN, TGĐ Cổng TTĐT;\n- Lưu: VT, ĐMDN (2b). Trung Anh BỘ TRƯỞNG, CHỦ "
        "NHIỆM Mai Tiến Dũng\n")
T052 = ("Nơi nhận:\n- Như trên;\n- Phòng Đô thị, TTHCC;\n- Lưu: VT, (ĐT/VMN).\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nBùi\nXuân "
        "Cường\n")
T082 = ("Nơi\nnhận:\n- Như trên;\n- Bộ trưởng (để b/c);\n- TTr Vũ Chiến Thắng;\n- Lưu: VT, TCBC.\nKT. BỘ TRƯỞNG\nTHỨ "
        "TRƯỞNG\nVũ\nChiến Thắng\n")
T086 = ("Nơi nhận:\n- Website Cục Thuế;\n- Lưu VT, VP, CĐS\nTL. CỤC TRƯỞNG\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n"
        "Phạm Ngọc Lai\n")
T047 = ("Nơi nhận: TM. HỘI ĐỒNG\n- Như trên;\nCHỦ TỊCH\n- UBND Tỉnh (Báo cáo);\n- Sở Nội vụ;\n- Lưu: VT, HĐXTH (V3b).\n"
        "GIÁM ĐỐC SỞ GIÁO DỤC VÀ\nĐÀO TẠO\nLê Quang Trí\n")
T044 = "Nơi nhận:\n- Sở GDĐT (bc);\n- Lưu: VT, V.\nKT.HIỆU TRƯỞNG\nPHÓ HIỆU TRƯỞNG\nTrần Thanh Vũ\n"
T049 = "Nơi nhận:\n- Như trên;\n- Giám đốc;\n- Lưu: VT, GDTXNNĐH (ĐPT).\nKT GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nTrương Hải Thanh\n"
T035 = "\nTM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n\nPhạm Thị Thanh Trà\n"
T038 = "\nTHỦ TƯỚNG\n[\n\nLê Minh Hưng\n"
T_TL = "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\nTL. BỘ TRƯỞNG\nCHÁNH VĂN PHÒNG\nNguyễn Văn Hùng\n"


def header(snippet: str) -> str:
    return snippet + BODY + TAIL


def signed(tail: str) -> str:
    return HEADER + BODY + tail


def case(name: str, *values):
    return pytest.param(*values, id=name)


HEADER_CASES = [
    # ---------------------------------------------------------------- number
    case("046-blank-number-keeps-symbol", header(H046), "number", "/KH-SGDĐT"),
    case("085-space-before-slash", header(H085), "number", "9476/BNNMT-CNTY"),
    case("104-ocr-lower-case-so-spaces-inside", header(H104), "number", "4222/TCT-PC"),
    case("047-blank-number-below-the-date", header(H047), "number", "/BC-HĐXTH"),
    case("s02-blank-number-typo-kept", header(HS02), "number", "/SGDDĐT-CTTT"),
    case("026-run-together-line", header(H026), "number", "3397/BKHĐT-QLKTTW"),
    case("059-cong-dien-number", header(H059), "number", "232/CĐ-TTg"),
    # ---------------------------------------------------------------- issued date and place
    case("s02-blank-day-gives-year-month", header(HS02), "issued_date", "2019-06"),
    case("046-blank-day-on-number-line", header(H046), "issued_date", "2026-04"),
    case("048-date-wrapped-after-day", header(H048), "issued_date", "2025-12-03"),
    case("085-date-wrapped-after-ngay", header(H085), "issued_date", "2025-11-24"),
    case("063-date-wrapped-after-ngay-chi-thi", header(H063), "issued_date", "2025-11-25"),
    case("104-ocr-full-stop-after-place", header(H104), "issued_date", "2023-11-09"),
    case("001-month-with-leading-zero", header(H001), "issued_date", "2013-04-26"),
    case("048-place-before-wrapped-date", header(H048), "place", "Hà Nội"),
    case("094-place-wrapped-over-lines", header(H094), "place", "Thành phố Hồ Chí Minh"),
    case("049-place-long-city-name", header(H049), "place", "Thành phố Hồ Chí Minh"),
    case("046-place-on-number-line", header(H046), "place", "Đồng Tháp"),
    case("104-place-ocr-full-stop", header(H104), "place", "Hà Nội"),
    # ---------------------------------------------------------------- doc_type
    case("001-vv-without-type-word-is-cong-van", header(H001), "doc_type", "Công văn"),
    case("085-vv-wrapped-is-cong-van", header(H085), "doc_type", "Công văn"),
    case("049-ve-subject-is-cong-van", header(H049), "doc_type", "Công văn"),
    case("046-ke-hoach", header(H046), "doc_type", "Kế hoạch"),
    case("047-bao-cao-with-kinh-gui", header(H047), "doc_type", "Báo cáo"),
    case("086-thong-bao", header(H086), "doc_type", "Thông báo"),
    case("015-chi-thi", header(H015), "doc_type", "Chỉ thị"),
    case("019-quyet-dinh", header(H019), "doc_type", "Quyết định"),
    case("059-cong-dien-with-vv-subject", header(H059), "doc_type", "Công điện"),
    case("099-ke-hoach-with-vv-subject", header(H099), "doc_type", "Kế hoạch"),
    # ---------------------------------------------------------------- issuer and parent issuer
    case("073-issuer-wrapped-van-phong-chinh-phu", header(H073), "issuer", "Văn phòng Chính phủ"),
    case("059-issuer-wrapped-thu-tuong", header(H059), "issuer", "Thủ tướng Chính phủ"),
    case("085-issuer-wrapped-over-three-lines", header(H085), "issuer", "Bộ Nông nghiệp và Môi trường"),
    case("048-issuer-under-wrapped-parent", header(H048), "issuer", "Sở Giáo dục và Đào tạo"),
    case("048-parent-wrapped-ubnd-thanh-pho-ha-noi", header(H048), "parent_issuer", "UBND Thành phố Hà Nội"),
    case("049-three-line-name-block-issuer", header(H049), "issuer", "Sở Giáo dục và Đào tạo"),
    case("049-three-line-name-block-parent", header(H049), "parent_issuer", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    case("086-cuc-thue-under-bo-tai-chinh", header(H086), "issuer", "Cục Thuế"),
    case("086-parent-bo-tai-chinh", header(H086), "parent_issuer", "Bộ Tài chính"),
    case("046-issuer-in-two-column-line", header(H046), "issuer", "Sở Giáo dục và Đào tạo"),
    case("046-parent-in-two-column-line", header(H046), "parent_issuer", "UBND tỉnh Đồng Tháp"),
    case("045-columns-interleaved-issuer", header(H045), "issuer", "Sở Giáo dục và Đào tạo"),
    case("045-columns-interleaved-parent", header(H045), "parent_issuer", "UBND tỉnh Đồng Tháp"),
    case("044-school-issuer", header(H044), "issuer", "Trường THPT Cao Lãnh 2"),
    case("044-school-parent-with-abbreviation", header(H044), "parent_issuer", "Sở GDĐT tỉnh Đồng Tháp"),
    case("047-council-issuer-wrapped", header(H047), "issuer", "Hội đồng xét thăng hạng CDNN viên chức năm 2025"),
    case("047-parent-wrapped-so-tinh", header(H047), "parent_issuer", "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp"),
    case("094-ubnd-wrapped-no-parent", header(H094), "parent_issuer", None),
    case("019-one-line-ubnd-tinh", header(H019), "issuer", "Ủy ban nhân dân tỉnh Tuyên Quang"),
    # ---------------------------------------------------------------- urgency
    case("realistic-hoa-toc-stamp", header(H_HOA_TOC), "urgency", "Hỏa tốc"),
    case("realistic-khan-stamp", header(H_KHAN), "urgency", "Khẩn"),
    case("059-khan-truong-in-subject-is-not-a-stamp", header(H059), "urgency", None),
    case("099-khan-cap-in-subject-is-not-a-stamp", header(H099), "urgency", None),
    case("046-no-stamp", header(H046), "urgency", None),
    # ---------------------------------------------------------------- signer
    case("s02-kt-giam-doc-name", signed(T_S02), "signer.name", "Lê Đình Thuần"),
    case("s02-kt-giam-doc-title", signed(T_S02), "signer.title", "Phó Giám đốc"),
    case("s02-kt-giam-doc-authority", signed(T_S02), "signer.authority", "KT. Giám đốc"),
    case("015-thu-tuong-same-line-name", signed(T015), "signer.name", "Nguyễn Tấn Dũng"),
    case("015-thu-tuong-same-line-title", signed(T015), "signer.title", "Thủ tướng"),
    case("015-thu-tuong-no-authority", signed(T015), "signer.authority", None),
    case("realistic-tl-bo-truong-title", signed(T_TL), "signer.title", "Chánh Văn phòng"),
    case("realistic-tl-bo-truong-authority", signed(T_TL), "signer.authority", "TL. Bộ trưởng"),
    case("026-tl-mark-alone-on-line-title", signed(T026), "signer.title", "Chánh Văn phòng"),
    case("026-tl-mark-alone-on-line-name", signed(T026), "signer.name", "Nguyễn Đức Tâm"),
    case("001-kt-bo-truong-chu-nhiem-title", signed(T001), "signer.title", "Phó Chủ nhiệm"),
    case("001-kt-bo-truong-chu-nhiem-authority", signed(T001), "signer.authority", "KT. Bộ trưởng, Chủ nhiệm"),
    case("018-tm-and-kt-on-one-line-title", signed(T018), "signer.title", "Phó Chủ tịch"),
    case("025-typist-initials-before-title-name", signed(T025), "signer.name", "Mai Tiến Dũng"),
    case("025-two-titles-joined-by-comma", signed(T025), "signer.title", "Bộ trưởng, Chủ nhiệm"),
    case("052-name-wrapped-after-family-name", signed(T052), "signer.name", "Bùi Xuân Cường"),
    case("082-name-wrapped-after-family-name", signed(T082), "signer.name", "Vũ Chiến Thắng"),
    case("082-thu-truong-title", signed(T082), "signer.title", "Thứ trưởng"),
    case("086-tl-then-kt-pho-chanh-van-phong", signed(T086), "signer.title", "Phó Chánh Văn phòng"),
    case("047-title-interleaved-with-noi-nhan", signed(T047), "signer.title", "Giám đốc Sở Giáo dục và Đào tạo"),
    case("047-name-after-interleaved-block", signed(T047), "signer.name", "Lê Quang Trí"),
    case("044-kt-without-space-title", signed(T044), "signer.title", "Phó Hiệu trưởng"),
    case("049-kt-without-dot-title", signed(T049), "signer.title", "Phó Giám đốc"),
    case("035-tm-kt-pho-thu-tuong-title", signed(T035), "signer.title", "Phó Thủ tướng"),
    case("038-stray-bracket-before-name", signed(T038), "signer.name", "Lê Minh Hưng"),
]


def _value(dispatch, path: str):
    obj = dispatch
    for part in path.split("."):
        obj = getattr(obj, part) if obj is not None else None
    return obj


def _norm(path: str, value):
    if value is None or path in ("number", "issued_date", "doc_type"):
        return value
    return score_key(value)


@pytest.mark.parametrize("text, path, expected", HEADER_CASES)
def test_header_fact(text: str, path: str, expected) -> None:
    assert _norm(path, _value(extract_text(text), path)) == _norm(path, expected)
