"""Deadlines: `find_deadline(text, issued)` on real task sentences (corpus file in the row id)
and realistic ones in the same style.

Expected values follow CONTRACT.md §1 and the corpus README: `date` is the due date in ISO,
resolved against the issue date where the text is relative or prints no year; `null` where no
due date is printed or computable from the issue date. `recurrence` is one of the contract's
values for "định kỳ / hằng tháng / hằng quý / hằng năm …" obligations; "trước ngày 25/12 hằng
năm" is yearly with no date. A start date, an effective date, a budget "hằng năm" or a period
of time to keep goods is not a deadline.
"""
from __future__ import annotations

import pytest

from extractors.deadlines import find_deadline


def case(name: str, *values):
    return pytest.param(*values, id=name)


DEADLINE_CASES = [
    # ---------------------------------------------------------------- absolute dates
    case("rules-truoc-ngay-20-4-2026",
         "báo cáo về Sở trước ngày 20/4/2026", "2026-04-10", "2026-04-20", None),
    case("001-truoc-ngay-in-words",
         "Đề nghị Bộ Lao động - Thương binh và Xã hội khẩn trương hoàn thành việc ban hành Thông tư và báo cáo "
         "Thủ tướng Chính phủ trước ngày 30 tháng 5 năm 2013.", "2013-04-26", "2013-05-30", None),
    case("013-ky-ban-hanh-truoc-ngay",
         "trình Thủ tướng Chính phủ xem xét, ký ban hành trước ngày 31 tháng 12 năm 2014.",
         "2014-10-27", "2014-12-31", None),
    case("014-gui-ve-bo-qua-vu-truoc-ngay",
         "gửi về Bộ (qua Vụ Kế hoạch - Tài chính, Cục Người có công) trước ngày 12/7/2019, đồng thời gửi theo "
         "địa chỉ email.", "2019-06-28", "2019-07-12", None),
    case("rules-chat-nhat-ngay-year-from-issue-date",
         "chậm nhất ngày 15 tháng 10", "2025-09-01", "2025-10-15", None),
    case("realistic-cham-nhat-ngay-numeric-no-year",
         "Các trường gửi danh sách học sinh dự thi về Sở (qua Phòng Quản lý chất lượng) chậm nhất ngày 15/10.",
         "2025-09-26", "2025-10-15", None),
    case("059-truoc-17-gio-ngay",
         "Ủy ban nhân dân các tỉnh: Đắk Lắk, Khánh Hòa, Gia Lai và Lâm Đồng khẩn trương gửi Báo cáo về Văn phòng "
         "Chính phủ và các Bộ: Tài chính, Nông nghiệp và Môi trường trước 17 giờ ngày 27/11/2025 để tổng hợp, "
         "báo cáo Thủ tướng Chính phủ.", "2025-11-27", "2025-11-27", None),
    case("051-truoc-ngay-wrapped-over-lines",
         "hoàn thành\n100% việc cập nhật lý lịch cán bộ, công chức, viên chức và đảm bảo đồng bộ dữ\nliệu vào Cơ sở "
         "dữ liệu quốc gia trước ngày 06 tháng 12 năm 2025.", "2025-11-28", "2025-12-06", None),
    case("052-xong-truoc-ngay-month-year-wrapped",
         "Thời gian thực hiện hoàn thành xong trước ngày 05 tháng 12\nnăm 2025.", "2025-11-25", "2025-12-05", None),
    case("058-thoi-han-hoan-thanh-colon",
         "Thời hạn hoàn thành: trước ngày 30/11/2025.", "2025-11-26", "2025-11-30", None),
    case("060-hoan-thanh-cham-nhat-truoc-ngay",
         "hỗ trợ sửa chữa nhà cho các gia đình có nhà bị hư hỏng nặng, hoàn thành chậm nhất trước ngày "
         "31/12/2025;", "2025-11-30", "2025-12-31", None),
    case("realistic-cham-nhat-la-ngay",
         "Các đơn vị nộp hồ sơ về Văn phòng Sở chậm nhất là ngày 05/12/2025.", "2025-11-20", "2025-12-05", None),
    case("realistic-no-year-before-issue-date-rolls-to-next-year",
         "Các trường tổng hợp, báo cáo kết quả sơ kết học kỳ I về Phòng Giáo dục và Đào tạo trước ngày 10/01.",
         "2025-12-20", "2026-01-10", None),
    # ---------------------------------------------------------------- relative to the issue date
    case("rules-trong-thoi-han-10-ngay-ke-tu-ngay-ky",
         "trong thời hạn 10 ngày kể từ ngày ký", "2025-11-20", "2025-11-30", None),
    case("contract-trong-vong-10-ngay-ke-tu-ngay-ky",
         "Các đơn vị báo cáo kết quả rà soát trong vòng 10 ngày kể từ ngày ký.", "2025-11-20", "2025-11-30", None),
    case("realistic-05-ngay-lam-viec-ke-tu-ngay-nhan",
         "Đề nghị các trường gửi ý kiến góp ý bằng văn bản trong vòng 05 ngày làm việc kể từ ngày nhận được "
         "Công văn này.", "2025-11-20", "2025-11-27", None),
    case("realistic-15-ngay-ke-tu-ngay-ban-hanh-crosses-year",
         "Phòng Giáo dục và Đào tạo xây dựng kế hoạch trong thời hạn 15 ngày kể từ ngày ban hành Kế hoạch này.",
         "2025-12-20", "2026-01-04", None),
    case("realistic-03-thang-ke-tu-ngay-ky-end-of-month",
         "Các đơn vị hoàn thành việc kiện toàn trong thời hạn 03 tháng kể từ ngày ký.",
         "2025-10-31", "2026-01-31", None),
    case("realistic-number-in-words-muoi-lam-ngay",
         "Đề nghị các cơ quan gửi báo cáo trong vòng mười lăm ngày kể từ ngày ký.",
         "2025-03-01", "2025-03-16", None),
    # ---------------------------------------------------------------- recurring
    case("rules-dinh-ky-hang-quy-bao-cao",
         "Định kỳ hằng quý báo cáo", "2025-10-10", None, "quarterly"),
    case("realistic-bao-cao-hang-thang",
         "Các trường báo cáo hằng tháng tình hình thực hiện về Phòng Giáo dục và Đào tạo.",
         "2025-10-10", None, "monthly"),
    case("s02-dinh-ky-hang-nam-bao-cao",
         "Định kỳ hàng năm báo cáo về Sở Giáo dục và Đào tạo qua Phòng Chính trị, tư tưởng.",
         "2019-06-15", None, "yearly"),
    case("015-dinh-ky-hang-nam-gui-bao-cao",
         "Định kỳ hàng năm gửi báo cáo về Bộ Lao động - Thương binh và Xã hội về việc đào tạo nghề, giải quyết "
         "việc làm cho con liệt sĩ, con thương binh nặng, con bệnh binh nặng để tổng hợp, báo cáo Thủ tướng Chính "
         "phủ.", "2012-11-28", None, "yearly"),
    case("rules-truoc-ngay-15-12-hang-nam",
         "trước ngày 15/12 hằng năm", "2025-10-10", None, "yearly"),
    case("063-truoc-ngay-25-12-hang-nam",
         "Theo dõi, đôn đốc kết quả\ntriển khai thực hiện của địa phương, đơn vị, tổng hợp báo cáo Ủy ban nhân "
         "dân\ntỉnh trước ngày 25/12 hàng năm.", "2025-11-25", None, "yearly"),
    case("049-han-cuoi-ngay-words-hang-nam",
         "gửi kết quả đánh giá, xếp loại về Sở Giáo dục và Đào tạo, hạn cuối\nngày 15 tháng 12 hàng năm (*Lưu ý: "
         "không gửi văn bản giấy*).", "2025-11-28", None, "yearly"),
    case("030-truoc-ngay-30-thang-11-hang-nam",
         "Chương trình này gửi Bộ Lao động - Thương binh và Xã hội, Ủy ban nhân dân tỉnh trước ngày 30 tháng 11 "
         "hằng năm.", "2020-05-04", None, "yearly"),
    case("008-truoc-ngay-25-hang-thang",
         "báo cáo tình hình thực hiện tại địa phương bằng văn bản về Bộ Xây dựng, Bộ Kế hoạch và Đầu tư, Bộ Tài "
         "chính trước ngày 25 hàng tháng để tổng hợp, báo cáo Thủ tướng Chính phủ.", "2013-07-01", None, "monthly"),
    case("054-truoc-ngay-20-hang-thang-wrapped",
         "Báo cáo Thủ tướng\nChính phủ kết quả thực hiện nhiệm vụ của các bộ, ngành trước ngày 20 hằng\ntháng.",
         "2025-11-21", None, "monthly"),
    case("069-bao-cao-hang-tuan",
         "chỉ đạo tiếp tục thực hiện nghiêm việc báo cáo Thủ tướng Chính phủ hằng tuần về tiến độ, tình hình "
         "thực hiện.", "2025-11-24", None, "weekly"),
    case("034-dinh-ky-thu-hai-hang-tuan",
         "Định kỳ thứ Hai hàng tuần tổng hợp tình hình, kết quả thực hiện trình Đảng\nủy Chính phủ để báo cáo Ban "
         "Bí thư Trung ương Đảng;", "2026-04-20", None, "weekly"),
    case("realistic-bao-cao-hang-ngay",
         "Các đơn vị báo cáo nhanh tình hình thiệt hại hằng ngày về Văn phòng Sở trước 15 giờ.",
         "2025-11-20", None, "daily"),
    case("realistic-dinh-ky-6-thang",
         "Định kỳ 6 tháng, các phòng giáo dục và đào tạo báo cáo kết quả thực hiện về Sở.",
         "2025-10-10", None, "semiannual"),
    case("030-dinh-ky-hang-nam-truoc-15-11-no-year",
         "định kỳ hàng năm (trước ngày 15/11 và đột xuất (khi có yêu cầu) báo cáo kết quả thực hiện",
         "2017-02-01", None, "yearly"),
    case("049-hop-dinh-ky-hang-thang",
         "4.1. Họp định kỳ hàng tháng;", "2025-11-28", None, "monthly"),
    # ---------------------------------------------------------------- not deadlines
    case("rules-kip-thoi-bao-cao",
         "kịp thời báo cáo", "2025-10-10", None, None),
    case("realistic-kip-thoi-bao-cao-vuong-mac",
         "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị kịp thời báo cáo về Sở để được hướng "
         "dẫn.", "2025-10-10", None, None),
    case("rules-thuong-xuyen-cap-nhat",
         "thường xuyên cập nhật", "2025-10-10", None, None),
    case("015-ke-hoach-5-nam-va-hang-nam",
         "xây dựng và triển khai đề án, kế hoạch 5 năm và hàng năm về đào tạo nghề.", "2012-11-28", None, None),
    case("094-ngan-sach-nha-nuoc-hang-nam",
         "1. Kinh phí bảo đảm thực hiện Kế\nhoạch này được bố trí từ nguồn ngân sách nhà nước hằng năm của các cơ "
         "quan, đơn\nvị theo quy định của Luật Ngân sách nhà nước,", "2025-11-18", None, None),
    case("004-tu-ngay-start-date-and-monthly-allowance",
         "a) Từ ngày 01 tháng 01 năm 2009, điều chỉnh tăng thêm 15% mức trợ cấp hàng tháng.",
         "2009-12-03", None, None),
    case("realistic-ap-dung-tu-ngay-01-01-2019",
         "Mức hỗ trợ này được áp dụng từ ngày 01/01/2019.", "2018-12-20", None, None),
    case("019-hieu-luc-ke-tu-ngay-ky",
         "Quyết định này có hiệu lực thi hành kể từ ngày ký.", "2024-08-13", None, None),
    case("041-hieu-luc-ke-tu-ngay-effective-date",
         "Điều 2. Quyết định này có hiệu lực kể từ ngày 01 tháng 8 năm 2022 và là một\nphần không tách rời của "
         "Thông tư số 10/2022/TT-BKHĐT ngày 15 tháng 6 năm 2022",
         "2022-07-29", None, None),
    case("027-thoi-han-ke-tu-ngay-hang-hoa-den-cua-khau",
         "Đối với hàng hóa nhập khẩu, nộp trước ngày hàng hóa đến cửa khẩu hoặc trong thời hạn 30 ngày kể từ "
         "ngày hàng hóa đến cửa khẩu.", "2017-02-01", None, None),
    case("014-tinh-hinh-thuc-hien-6-thang-dau-nam",
         "- Tình hình thực hiện dự toán ngân sách nhà nước giai đoạn 2016-2018 thực hiện Pháp lệnh ưu đãi người "
         "có công với cách mạng; tình hình thực hiện 6 tháng đầu năm và dự kiến thực hiện cả năm 2019.",
         "2019-06-28", None, None),
]


@pytest.mark.parametrize("text, issued, date, recurrence", DEADLINE_CASES)
def test_find_deadline(text: str, issued: str, date: str | None, recurrence: str | None) -> None:
    deadline = find_deadline(text, issued)
    assert (deadline.date, deadline.recurrence) == (date, recurrence), deadline.text
