"""Tasks: small bodies of real (corpus file in the row id) and realistic dispatches, run through
`extract_text`; the tasks found are compared with the anchors the corpus gold uses.

Each row gives the `required` anchors (verbatim 5-15 word pieces, one task each, CONTRACT §2) and
the `optional` ones (generic closings, goals under "Mục đích, yêu cầu", the other instructing
sentences of a numbered item, which a system may split off or keep whole). A task whose text holds
no anchor fails the row: background ("Thực hiện Công văn số …", "Căn cứ …"), intros ending "… một số
nội dung sau:", headings, "Quyết định này có hiệu lực …", past facts ("đã ban hành") are not tasks.
Some rows also give the deadline of an anchored task.
"""
from __future__ import annotations

import re

import pytest

from pipeline.extract import extract_text
from pipeline.vntext import new_tones

CV_HEADER = (
    "UBND TỈNH KHÁNH HÒA\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nSố: 999/SGDĐT-VP\nKhánh Hòa, ngày 10 tháng 10 năm 2025\n"
    "V/v triển khai nhiệm vụ năm học 2025-2026\nKính gửi: Các đơn vị trực thuộc Sở.\n"
)
CV_TAIL = "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nNguyễn Văn An\n"
QD_HEADER = (
    "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG -------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
    "---------------\nSố: 986/QĐ-UBND\nTuyên Quang, ngày 13 tháng 8 năm 2024\n\nQUYẾT ĐỊNH\n\nBAN HÀNH KẾ HOẠCH THỜI "
    "GIAN NĂM HỌC 2024-2025\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG\n\nCăn cứ Luật Giáo dục ngày 14/6/2019;\n\n"
)
QD_TAIL = "\n\nNơi nhận: - Như Điều 3; - Lưu: VT, THVX (VB).\nKT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Việt Phương\n"


def cv(body: str) -> str:
    return CV_HEADER + body + CV_TAIL


def qd(body: str) -> str:
    return QD_HEADER + body + QD_TAIL


def case(name: str, text: str, required: list[str], optional: tuple[str, ...] = (), deadlines: dict | None = None):
    return pytest.param(text, required, optional, deadlines or {}, id=name)


def _flat(text: str) -> str:
    return new_tones(re.sub(r"\s+", " ", text).strip()).casefold()


S01_BODY = (
    "Thực hiện Công văn số 2094/SGDĐT-HSSV ngày 04/9/2018 của Sở GD&ĐT về việc đẩy mạnh phong trào toàn dân bảo vệ "
    "ANTQ trong nhà trường; Công văn 1161/UBND-VP ngày 30/8/2018 của UBND huyện về việc đẩy mạnh phong trào toàn dân "
    "bảo vệ ANTQ trong các cơ quan, doanh nghiệp, nhà trường. Phòng Giáo dục - Đào tạo đề nghị các trường  tập trung "
    "triển khai thực hiện một số nội dung sau:\n"
    "1. Tiếp tục quán triệt, triển khai thực hiện có hiệu quả các chủ trương, chính sách của Đảng, pháp luật của Nhà "
    "nước, Bộ Công an về đảm bảo an ninh trật tự và phong trào toàn dân bảo vệ ANTQ; trọng tâm là Chỉ thị số 46-CT/TW "
    "ngày 22/6/2015 của Bộ Chính trị về “Tăng cường sự lãnh đạo của Đảng đối với công tác đảm bảo an ninh, trật tự "
    "trong tình hình mới”. Nâng cao nhận thức cho cán bộ, giáo viên, nhân viên và học sinh về vị trí, vai trò, ý nghĩa "
    "của công tác đảm bảo an ninh chính trị, trật tự an toàn xã hội và phong trào toàn dân bảo vệ ANTQ.  \n\n\n"
    "2. Xác định rõ trách nhiệm của nhà trường trong công tác xây dựng phong trào toàn dân bảo vệ ANTQ ở cơ quan, đơn "
    "vị mình. Chú trọng đổi mới, nâng cao chất lượng hoạt động của phong trào toàn dân bảo vệ ANTQ phù hợp với tình "
    "hình, đặc điểm của cơ quan, đơn vị; vận động cán bộ, giáo viên, nhân viên và học sinh tham gia góp phần củng cố "
    "thế trận quốc phòng và thế trận an ninh ngày càng vững chắc ; \n\n"
    "3. Xây dựng, củng cố lực lượng bảo vệ chuyên trách và bán chuyên trách, các tổ chức, đoàn thể chính trị xã hội "
    "tham gia đảm bảo an ninh trật tự ở cơ sở theo hướng tự phòng, tự quản, tự bảo vệ và tự giải quyết. Thường xuyên "
    "phối hợp với lực lượng Công an tổ chức huấn luyện, bồi dưỡng chuyên môn nghiệp vụ, pháp luật cho lực lượng bảo vệ "
    "của đơn vị mình. Đồng thời, đảm bảo kinh phí cho hoạt động xây dựng phong trào toàn dân bảo vệ ANTQ ở đơn vị "
    "mình.\n\n\n"
    "4. Căn cứ vào tình hình, điều kiện thực tế của mình, các trường chủ động xây dựng kế hoạch, tổ chức triển khai "
    "thực hiện hiệu quả các nội dung trên nhằm đẩy mạnh và nâng cao chất lượng, hiệu quả phong trào toàn dân bảo vệ "
    "ANTQ. \nĐề nghị các trường triển khai thực hiện đúng nội dung của Công văn này./."
)
S02_BODY = (
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh Khánh Hòa tại Công văn số 5388/UBND ngày 07/6/2019 về việc tăng "
    "cường công tác xây dựng mô hình, tổ chức tự quản về an ninh, trật tự, Sở Giáo dục và Đào tạo đề nghị các phòng "
    "giáo dục và đào tạo, các đơn vị trực thuộc tập trung thực hiện các công tác trọng tâm sau:\n\n"
    "1. Cần đổi mới nhận thức trong công tác xây dựng mô hình. Việc đổi mới nhận thức phải được thực hiện từ lãnh "
    "đạo cấp ủy, thủ trưởng các đơn vị, trường học. Cần đẩy mạnh hơn nữa việc thực hiện Chỉ thị số 09-CT/TW ngày "
    "01/12/2011 của Ban Bí thư Trung ương (khóa XI) về “Tăng cường sự lãnh đạo của Đảng đối với phong trào toàn dân "
    "bảo vệ an ninh Tổ quốc trong tình hình mới”.\n\n"
    "2. Các đơn vị, trường học cần phát huy tốt vai trò của các tổ chức đoàn thể. Xây dựng mô hình tự quản về an "
    "ninh, trật tự là công tác xã hội hóa trên lĩnh vực an ninh, trật tự, nên việc phát huy vai trò của các đoàn thể "
    "là ưu tiên hàng đầu.\n\n"
    "3. Công tác xây dựng mô hình tự quản trong trường học phải phù hợp với điều kiện, đặc điểm của nhà trường và "
    "từng địa phương.\n\n"
    "4. Thủ trưởng các đơn vị, trường học quan tâm chỉ đạo, hỗ trợ nguồn kinh phí cho các mô hình, tổ chức tự quản "
    "về an ninh, trật tự. Tạo điều kiện huy động nguồn kinh phí từ việc xã hội hóa công tác xây dựng mô hình, nhằm "
    "đảm bảo an ninh, an toàn.\n\n"
    "Trên cơ sở các nội dung trên, thủ trưởng các đơn vị, trường học triển khai, thực hiện, định kỳ tổ chức kiểm "
    "tra, đánh giá và tiến hành sơ kết, tổng kết công tác xây dựng mô hình, tổ chức tự quản về an ninh, trật tự trong "
    "đơn vị. Kịp thời biểu dương, khen thưởng những tập thể và cá nhân có thành tích xuất sắc trong chỉ đạo và tổ "
    "chức thực hiện công tác xây dựng và nhân rộng mô hình trong phong trào toàn dân bảo vệ an ninh Tổ quốc. Định kỳ "
    "hàng năm báo cáo về Sở Giáo dục và Đào tạo qua Phòng Chính trị, tư tưởng. /."
)
QD019_BODY = (
    "QUYẾT ĐỊNH:\n\nĐiều 1. Ban hành Kế hoạch thời gian năm học 2024-2025 đối với giáo dục mầm non, giáo dục phổ "
    "thông và giáo dục thường xuyên áp dụng trên địa bàn tỉnh Tuyên Quang như sau:\n\n1. Tựu trường các cấp học: Ngày "
    "26/8/2024 (thứ Hai). Riêng đối với lớp 1 tựu trường ngày 19/8/2024 (thứ Hai).\n\n2. Tổ chức Khai giảng năm học "
    "mới: Ngày 05/9/2024 (thứ Năm).\n\n5. Hoàn thành tuyển sinh các lớp đầu cấp trước ngày 31/7/2025.\n\n"
    "Điều 2. Giao Giám đốc Sở Giáo dục và Đào tạo\n\n1. Tổ chức chỉ đạo thực hiện hoàn thành Kế hoạch thời gian năm "
    "học 2024-2025 đúng quy định; quyết định cho học sinh nghỉ học trong trường hợp thời tiết quá khắc nghiệt, thiên "
    "tai, dịch bệnh và bố trí học bù vào thời gian thích hợp, bảo đảm thời gian nghỉ của giáo viên trong năm học. "
    "Trường hợp đặc biệt, báo cáo Chủ tịch Ủy ban nhân dân tỉnh quyết định thời gian nghỉ học và thời gian kéo dài "
    "năm học.\n\n2. Chủ trì, phối hợp với Chủ tịch Ủy ban nhân dân huyện, thành phố; thủ trưởng các ngành có liên "
    "quan hướng dẫn và tổ chức thực hiện thống nhất, đúng kế hoạch thời gian năm học 2024-2025 quy định tại Điều 1 "
    "Quyết định này.\n\nĐiều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký.\n\nChánh Văn phòng Ủy ban nhân dân "
    "tỉnh, Giám đốc các sở: Giáo dục và Đào tạo, Kế hoạch và Đầu tư, Tài chính, Nội vụ, Lao động - Thương binh và Xã "
    "hội; Chủ tịch Ủy ban nhân dân huyện, thành phố; thủ trưởng các cơ quan, đơn vị liên quan chịu trách nhiệm thi "
    "hành Quyết định này./."
)
QD045_BODY = (
    "QUYẾT ĐỊNH:\nĐiều 1. Phê duyệt kết quả kỳ xét thăng hạng chức danh nghề nghiệp viên chức từ hạng III lên hạng "
    "II đối với giáo viên trung học phổ thông công lập đơn vị trực thuộc Sở Giáo dục và Đào tạo tỉnh Đồng Tháp năm 2025 "
    "như sau:\n1. Tổng số lượng hồ sơ tiếp nhận là 1.389 hồ sơ, chia ra:\n- Viên chức lãnh đạo, quản lý: 85 hồ sơ;\n- "
    "Viên chức không giữ chức vụ lãnh đạo, quản lý: 1.304 hồ sơ.\nĐiều 2. Giao Hội đồng xét thăng hạng có trách nhiệm "
    "thông báo bằng văn bản về kết quả xét thăng hạng và danh sách viên chức trúng tuyển tới cơ quan, đơn vị có viên "
    "chức dự xét thăng hạng; đồng thời thông báo công khai trên cổng thông tin điện tử của Sở Giáo dục và Đào tạo tỉnh "
    "Đồng Tháp.\nĐiều 3. Chánh Văn phòng, Trưởng phòng Tổ chức cán bộ, Chủ tịch Hội đồng xét thăng hạng chức danh "
    "nghề nghiệp viên chức từ hạng III lên hạng II đối với giáo viên trung học phổ thông công lập đơn vị trực thuộc Sở "
    "Giáo dục và Đào tạo tỉnh Đồng Tháp năm 2025, Thủ trưởng các cơ quan, đơn vị liên quan căn cứ Quyết định thi "
    "hành.\nQuyết định này có hiệu lực thi hành kể từ ngày ký./."
)
B048 = (
    "Nhằm đảm bảo sức khỏe cho học\nsinh, sinh viên và cán bộ, giáo viên, nhân viên của các đơn vị, trường học, Sở\n"
    "Giáo dục và Đào tạo đề nghị UBND các xã, phường; các đơn vị, cơ sở giáo dục\ntrực thuộc thực hiện nghiêm túc theo "
    "văn bản chỉ đạo của UBND Thành phố, chủ\nđộng điều chỉnh lịch học tập và sinh hoạt ngoài trời. Cụ thể:\n- Thường "
    "xuyên cập nhật thông\ntin về chất lượng không khí, theo dõi chỉ số VN_AQI tại các trạm quan trắc\nkhông khí trên "
    "địa bàn Thành phố tại website: https://moitruongthudo.vn/.\n- Hạn\nchế các hoạt động ngoài trời cho học sinh "
    "trong các khung giờ và ngày có chất\nlượng không khí ở mức “Xấu” trở lên.\n-\nTrường hợp chất lượng môi trường "
    "không khí bị ô nhiễm nghiêm trọng (VN_AQI ≥\n301), các đơn vị, trường học chủ động tạm dừng hoặc điều chỉnh thời "
    "gian\nlàm việc, học tập cho phù hợp.\nChi\ntiết liên hệ phòng Chính trị, tư tưởng và Công tác học sinh, sinh "
    "viên, Sở Giáo\ndục và Đào tạo, điện thoại: 02439411232.\nSở\nGiáo dục và Đào tạo đề nghị Thủ trưởng các đơn vị "
    "nghiêm túc thực hiện./."
)
B044 = (
    "I. MỤC ĐÍCH, YÊU CẦU\n- Tăng cường giao lưu, trao đổi, chia sẻ kinh nghiệm giảng dạy môn Lịch sử giữa các "
    "trường trong cụm.\nII. NỘI DUNG SINH HOẠT CHUYÊN MÔN\n1. Phân tích đề thi tốt nghiệp năm 2025 (môn Lịch sử) – "
    "Trường THPT Cao Lãnh 2 thực hiện.\n2. Tham luận “Kinh nghiệm tổ chức ôn thi TN môn Lịch sử năm 2025 đạt hiệu quả "
    "tốt” - Trường THPT Thống Linh hỗ trợ thực hiện.\n3. Tham luận về “Công tác phụ đạo cho học sinh có kết quả học tập "
    "môn Lịch sử chưa tốt” – Trường THPT Trần Quốc Toản hỗ trợ thực hiện.\n4. Tham luận “Ứng dụng công nghệ thông tin "
    "trong công tác ôn thi TN môn Lịch sử” - Trường THPT Trường Xuân hỗ trợ thực hiện.\n5. Các nội dung khác xuất phát "
    "từ nhu cầu thực tế tại các đơn vị - các đơn vị cho ý kiến, thảo luận.\nIII. THỜI GIAN, HÌNH THỨC VÀ THÀNH PHẦN "
    "THAM DỰ\n"
)
B082 = (
    "Trên cơ sở định hướng của Ban Tổ\nchức Trung ương và báo cáo của Bộ, ngành, địa phương, Bộ Nội vụ đã xây dựng\n"
    "nguyên tắc và định hướng đề xuất nhu cầu biên chế giai đoạn 2026-2031 (gửi kèm\ntheo). Để việc đề xuất biên chế "
    "giai đoạn 2026-2031 của các bộ, ngành, địa phương\nđược triển khai thống nhất theo đúng yêu cầu của Bộ Chính trị, "
    "Ban Bí thư và\nBan Tổ chức Trung ương, trên cơ sở nguyên tắc và định hướng đề xuất nhu cầu\nbiên chế giai đoạn "
    "2026 - 2031 nêu trên, đề nghị bộ, ngành, địa phương khẩn\ntrương tổng hợp đề xuất biên chế giai đoạn 2026-2031 "
    "theo vị trí việc làm[i] theo biểu mẫu gửi kèm (bộ, ngành báo cáo số liệu chi tiết\ntheo Phụ lục số 1A, 1B, 3A, "
    "3B; địa phương báo cáo số liệu chi tiết theo Phụ\nlục số 2A, 2B, 4A, 4B) và gửi về Bộ Nội vụ trước ngày "
    "26/11/2025 để tổng\nhợp, báo cáo cấp có thẩm quyền xem xét, quyết định."
)

B052 = (
    "1.3. Giao Ủy ban nhân\ndân các phường, xã, đặc khu\n- Phối hợp thực hiện\ncông tác rà soát dữ liệu số nhà trên cơ "
    "sở Kế hoạch số 515/KH-BCA-BNN&MT\nngày 31 tháng 8 năm 2025 của Bộ Công an và Bộ Nông nghiệp và Môi trường, cùng\n"
    "Kế hoạch số 94/KH-UBND ngày 19 tháng 9 năm 2025 của Ủy ban nhân dân Thành phố.\n- Trên cơ sở dữ liệu đất\nđai và "
    "bản đồ địa chính có cập nhật địa chỉ (số nhà) do Sở Nông nghiệp và Môi\ntrường cung cấp, Ủy ban nhân dân các "
    "phường, xã, đặc khu tổ chức rà soát, cập\nnhật và làm sạch dữ liệu số nhà đã cấp, bao gồm cả số nhà cũ và số nhà "
    "đã điều\nchỉnh nhưng chưa được cập nhật vào giấy chứng nhận; đồng thời, phối hợp với Công\nan phường, xã, đặc khu "
    "rà soát, đối chiếu, cập nhật và làm sạch dữ liệu hoàn\nchỉnh về số nhà đã cấp trên địa bàn; bảo đảm thống nhất, "
    "đồng bộ và chính xác.\nThời gian hoàn thành trước ngày 31 tháng 12 năm 2025.\n"
)
B063 = (
    "Ủy ban nhân dân tỉnh yêu cầu:\n\n1. Ủy ban nhân dân các xã,\nphường, đặc khu Cồn Cỏ:\n\n- Thực hiện đầy đủ trách "
    "nhiệm\nquản lý nhà nước về lâm nghiệp của chính quyền địa phương cấp xã theo quy định\ntại Điều 102 Luật Lâm "
    "nghiệp, Luật Đất đai; Nghị định số 131/2025/NĐ-CP ngày 12/6/2025\nvà Nghị định số 136/2025/NĐ-CP ngày 12/6/2025. "
    "Tăng cường tuyên truyền sâu rộng\nLuật Lâm nghiệp, Luật Đất đai và các văn bản hướng dẫn thi hành;\n"
)
B051 = (
    "1. Giao người đứng đầu các\ncơ quan chuyên môn, cơ quan hành chính khác, các đơn vị sự nghiệp công\nlập trực thuộc "
    "Ủy ban nhân Thành phố; Chủ tịch Ủy ban nhân dân các xã, phường\nvà đặc khu\n- Chịu trách nhiệm về thực hiện\nbảo "
    "mật, bảo đảm an toàn thông tin cơ sở dữ liệu cán bộ, công chức, viên chức\ntheo quy định pháp luật.\n- Thường "
    "xuyên kiểm tra, đôn\nđốc việc cập nhật dữ liệu; kịp thời chỉ đạo, chấn chỉnh các tổ chức, cá nhân\nkhông thực hiện "
    "đúng các chỉ đạo, quy định của cấp có thẩm quyền.\n"
)

TASK_CASES = [
    # ---------------------------------------------------------------- whole bodies of the two specification dispatches
    case("s01-items-are-tasks-background-and-intro-are-not", cv(S01_BODY),
         ["Tiếp tục quán triệt, triển khai thực hiện có hiệu quả các chủ trương",
          "Xác định rõ trách nhiệm của nhà trường trong công tác xây dựng phong trào",
          "Xây dựng, củng cố lực lượng bảo vệ chuyên trách và bán chuyên trách",
          "các trường chủ động xây dựng kế hoạch, tổ chức triển khai thực hiện hiệu quả"],
         ("Đề nghị các trường triển khai thực hiện đúng nội dung của Công văn này",
          "Nâng cao nhận thức cho cán bộ, giáo viên, nhân viên và học sinh",
          "Chú trọng đổi mới, nâng cao chất lượng hoạt động",
          "Thường xuyên phối hợp với lực lượng Công an tổ chức huấn luyện",
          "Đồng thời, đảm bảo kinh phí cho hoạt động xây dựng phong trào")),
    case("s02-items-and-closing-sentences", cv(S02_BODY),
         ["Cần đổi mới nhận thức trong công tác xây dựng mô hình",
          "cần phát huy tốt vai trò của các tổ chức đoàn thể",
          "Công tác xây dựng mô hình tự quản trong trường học phải phù hợp",
          "quan tâm chỉ đạo, hỗ trợ nguồn kinh phí cho các mô hình",
          "định kỳ tổ chức kiểm tra, đánh giá và tiến hành sơ kết, tổng kết",
          "Kịp thời biểu dương, khen thưởng những tập thể và cá nhân",
          "Định kỳ hàng năm báo cáo về Sở Giáo dục và Đào tạo"],
         ("Việc đổi mới nhận thức phải được thực hiện từ lãnh đạo cấp ủy",
          "Cần đẩy mạnh hơn nữa việc thực hiện Chỉ thị số 09-CT/TW",
          "Tạo điều kiện huy động nguồn kinh phí từ việc xã hội hóa"),
         {"Định kỳ hàng năm báo cáo về Sở Giáo dục và Đào tạo": (None, "yearly")}),
    # ---------------------------------------------------------------- not tasks
    case("s01-background-thuc-hien-cong-van",
         cv("Thực hiện Công văn số 2094/SGDĐT-HSSV ngày 04/9/2018 của Sở GD&ĐT về việc đẩy mạnh phong trào toàn dân "
            "bảo vệ ANTQ trong nhà trường; Công văn 1161/UBND-VP ngày 30/8/2018 của UBND huyện về việc đẩy mạnh phong "
            "trào toàn dân bảo vệ ANTQ trong các cơ quan, doanh nghiệp, nhà trường./."),
         []),
    case("rules-intro-mot-so-noi-dung-sau-before-items",
         cv("Phòng Giáo dục - Đào tạo đề nghị các trường tập trung triển khai thực hiện một số nội dung sau:\n"
            "1. Tăng cường công tác tuyên truyền, phổ biến pháp luật về an ninh, trật tự trong nhà trường.\n"
            "2. Tổ chức kiểm tra, đánh giá việc thực hiện mô hình tự quản về an ninh, trật tự./."),
         ["Tăng cường công tác tuyên truyền, phổ biến pháp luật", "Tổ chức kiểm tra, đánh giá việc thực hiện mô hình"]),
    case("s02-background-then-de-nghi-intro-ending-sau",
         cv("Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh Khánh Hòa tại Công văn số 5388/UBND ngày 07/6/2019 về việc "
            "tăng cường công tác xây dựng mô hình, tổ chức tự quản về an ninh, trật tự, Sở Giáo dục và Đào tạo đề "
            "nghị các phòng giáo dục và đào tạo, các đơn vị trực thuộc tập trung thực hiện các công tác trọng tâm "
            "sau:\n\n3. Công tác xây dựng mô hình tự quản trong trường học phải phù hợp với điều kiện, đặc điểm của "
            "nhà trường và từng địa phương./."),
         ["Công tác xây dựng mô hình tự quản trong trường học phải phù hợp"]),
    case("realistic-can-cu-lines-are-background",
         cv("Căn cứ Luật Giáo dục ngày 14/6/2019;\nCăn cứ Kế hoạch số 15/KH-UBND ngày 20/01/2025 của UBND huyện Cam "
            "Lâm về triển khai công tác phổ biến, giáo dục pháp luật năm 2025;\nCăn cứ tình hình thực tế, Sở Giáo "
            "dục và Đào tạo hướng dẫn như sau:\n"),
         []),
    case("rules-hieu-luc-sentence-is-not-a-task",
         cv("Quyết định này có hiệu lực thi hành kể từ ngày ký."), []),
    case("051-past-da-ban-hanh-is-background",
         cv("Ngày 28 tháng 10 năm 2025, Chủ\ntịch Ủy ban nhân dân Thành phố đã ban hành Công văn số 3280/UBND-VX về "
            "việc\ntriển khai cập nhật cơ sở dữ liệu quốc gia về cán bộ, công chức, viên chức theo\nmô hình chính quyền "
            "02 cấp./."),
         []),
    case("realistic-past-results-are-not-tasks",
         cv("Năm học 2024-2025, các trường đã triển khai thực hiện tốt phong trào xây dựng trường học an toàn, thân "
            "thiện. Công tác phòng, chống bạo lực học đường đã được các đơn vị quan tâm thực hiện./."),
         []),
    case("realistic-ket-qua-nhu-sau-is-not-a-task",
         cv("Qua kiểm tra, kết quả cụ thể như sau:\n- Số trường được kiểm tra: 25 trường.\n- Số trường đạt yêu cầu: 23 "
            "trường./."),
         []),
    # ---------------------------------------------------------------- directives, imperatives, subject + verb
    case("rules-example-de-nghi-cac-truong",
         cv("Đề nghị các trường triển khai thực hiện đúng nội dung của Công văn này./."),
         ["Đề nghị các trường triển khai thực hiện đúng nội dung của Công văn này"]),
    case("realistic-imperative-tang-cuong",
         cv("Tăng cường công tác kiểm tra, giám sát việc thực hiện quy chế chuyên môn tại các nhà trường./."),
         ["Tăng cường công tác kiểm tra, giám sát việc thực hiện quy chế chuyên môn"]),
    case("s02-subject-then-verbs-tren-co-so",
         cv("Trên cơ sở các nội dung trên, thủ trưởng các đơn vị, trường học triển khai, thực hiện, định kỳ tổ chức "
            "kiểm tra, đánh giá và tiến hành sơ kết, tổng kết công tác xây dựng mô hình, tổ chức tự quản về an ninh, "
            "trật tự trong đơn vị./."),
         ["định kỳ tổ chức kiểm tra, đánh giá và tiến hành sơ kết, tổng kết"]),
    case("realistic-thu-truong-cac-don-vi-trien-khai",
         cv("Thủ trưởng các đơn vị, trường học triển khai thực hiện nghiêm túc các nội dung của Kế hoạch này./."),
         ["Thủ trưởng các đơn vị, trường học triển khai thực hiện nghiêm túc"]),
    case("s02-item-phai-phu-hop",
         cv("3. Công tác xây dựng mô hình tự quản trong trường học phải phù hợp với điều kiện, đặc điểm của nhà trường "
            "và từng địa phương./."),
         ["Công tác xây dựng mô hình tự quản trong trường học phải phù hợp"]),
    case("s01-item-opening-with-can-cu-vao-is-a-task",
         cv("4. Căn cứ vào tình hình, điều kiện thực tế của mình, các trường chủ động xây dựng kế hoạch, tổ chức triển "
            "khai thực hiện hiệu quả các nội dung trên nhằm đẩy mạnh và nâng cao chất lượng, hiệu quả phong trào toàn "
            "dân bảo vệ ANTQ./."),
         ["các trường chủ động xây dựng kế hoạch, tổ chức triển khai thực hiện hiệu quả"]),
    case("realistic-nghiem-cam",
         cv("Nghiêm cấm các trường tổ chức dạy thêm, học thêm đối với học sinh tiểu học dưới mọi hình thức./."),
         ["Nghiêm cấm các trường tổ chức dạy thêm, học thêm đối với học sinh tiểu học"]),
    case("realistic-report-with-deadline",
         cv("Các trường báo cáo kết quả thực hiện về Phòng Giáo dục và Đào tạo trước ngày 20/12/2025./."),
         ["Các trường báo cáo kết quả thực hiện về Phòng Giáo dục và Đào tạo"], (),
         {"Các trường báo cáo kết quả thực hiện về Phòng Giáo dục và Đào tạo": ("2025-12-20", None)}),
    case("082-past-sentence-then-de-nghi-with-deadline", cv(B082),
         ["đề nghị bộ, ngành, địa phương khẩn trương tổng hợp đề xuất biên chế"], (),
         {"đề nghị bộ, ngành, địa phương khẩn trương tổng hợp đề xuất biên chế": ("2025-11-26", None)}),
    case("059-khan-truong-gui-bao-cao-truoc-17-gio",
         cv("Ủy ban nhân dân các tỉnh: Đắk Lắk, Khánh Hòa, Gia Lai và Lâm Đồng khẩn trương gửi Báo cáo về Văn phòng "
            "Chính phủ và các Bộ: Tài chính, Nông nghiệp và Môi trường trước 17 giờ ngày 27/11/2025 để tổng hợp, báo "
            "cáo Thủ tướng Chính phủ./."),
         ["khẩn trương gửi Báo cáo về Văn phòng Chính phủ và các Bộ"], (),
         {"khẩn trương gửi Báo cáo về Văn phòng Chính phủ và các Bộ": ("2025-11-27", None)}),
    # ---------------------------------------------------------------- lead sentences, bullets, contact lines
    case("048-lead-with-cu-the-bullets-and-contact-line", cv(B048),
         ["thực hiện nghiêm túc theo văn bản chỉ đạo của UBND Thành phố",
          "Thường xuyên cập nhật thông tin về chất lượng không khí",
          "Hạn chế các hoạt động ngoài trời cho học sinh trong các khung giờ",
          "các đơn vị, trường học chủ động tạm dừng hoặc điều chỉnh thời gian"],
         ("đề nghị Thủ trưởng các đơn vị nghiêm túc thực hiện",)),
    case("044-headings-and-agenda-items", cv(B044),
         ["Phân tích đề thi tốt nghiệp năm 2025 (môn Lịch sử)",
          "Kinh nghiệm tổ chức ôn thi TN môn Lịch sử năm 2025",
          "Công tác phụ đạo cho học sinh có kết quả học tập",
          "Ứng dụng công nghệ thông tin trong công tác ôn thi TN môn Lịch sử"],
         ("Tăng cường giao lưu, trao đổi, chia sẻ kinh nghiệm giảng dạy môn Lịch sử",
          "Các nội dung khác xuất phát từ nhu cầu thực tế tại các đơn vị")),
    case("realistic-heading-muc-dich-yeu-cau-alone",
         cv("I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n2. Yêu cầu\nII. NỘI DUNG\n"), []),
    case("realistic-label-rows-of-a-plan-table",
         cv("1. Tổ chức Hội nghị tổng kết năm học 2024-2025.\n- Cơ quan chủ trì: Văn phòng Sở.\n- Cơ quan phối hợp: "
            "Các phòng chuyên môn thuộc Sở.\n- Thời gian thực hiện: Tháng 7 năm 2025./."),
         ["Tổ chức Hội nghị tổng kết năm học 2024-2025"]),
    # ---------------------------------------------------------------- items under an addressee heading
    case("052-giao-heading-then-bullets-with-deadline-line", cv(B052),
         ["Phối hợp thực hiện công tác rà soát dữ liệu số nhà",
          "tổ chức rà soát, cập nhật và làm sạch dữ liệu số nhà đã cấp"], (),
         {"tổ chức rà soát, cập nhật và làm sạch dữ liệu số nhà đã cấp": ("2025-12-31", None)}),
    case("063-bullet-opening-with-thuc-hien-is-a-task", cv(B063),
         ["Thực hiện đầy đủ trách nhiệm quản lý nhà nước về lâm nghiệp"],
         ("Tăng cường tuyên truyền sâu rộng Luật Lâm nghiệp",)),
    case("051-giao-heading-without-colon-then-bullets", cv(B051),
         ["Chịu trách nhiệm về thực hiện bảo mật, bảo đảm an toàn thông tin",
          "Thường xuyên kiểm tra, đôn đốc việc cập nhật dữ liệu"]),
    case("001-tai-cong-van-da-giao-is-background",
         cv("Tại công văn số 8014/VPCP-KGVX ngày 09 tháng 10 năm 2012 của Văn phòng Chính phủ, Phó Thủ tướng Nguyễn "
            "Thiện Nhân đã giao Bộ Lao động - Thương binh và Xã hội xây dựng, ban hành Thông tư hướng dẫn về quy trình "
            "xác định, trình tự thủ tục hồ sơ xác nhận nạn nhân chất độc hóa học/dioxin do Mỹ sử dụng trong chiến tranh "
            "tại Việt Nam./."),
         []),
    # ---------------------------------------------------------------- a Quyết định's articles
    case("019-dieu-1-ban-hanh-not-task-dieu-2-items-and-last-article", qd(QD019_BODY),
         ["Tổ chức chỉ đạo thực hiện hoàn thành Kế hoạch thời gian năm học 2024-2025",
          "hướng dẫn và tổ chức thực hiện thống nhất, đúng kế hoạch thời gian",
          "đơn vị liên quan chịu trách nhiệm thi hành Quyết định này"],
         ("Trường hợp đặc biệt, báo cáo Chủ tịch Ủy ban nhân dân tỉnh quyết định",
          "Tựu trường các cấp học: Ngày 26/8/2024",
          "Tổ chức Khai giảng năm học mới: Ngày 05/9/2024",
          "Hoàn thành tuyển sinh các lớp đầu cấp trước ngày 31/7/2025")),
    case("045-dieu-1-phe-duyet-with-statistics-not-tasks", qd(QD045_BODY),
         ["Giao Hội đồng xét thăng hạng có trách nhiệm thông báo bằng văn bản",
          "Thủ trưởng các cơ quan, đơn vị liên quan căn cứ Quyết định thi hành"]),
    case("realistic-article-hieu-luc-alone", qd("Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký./."), []),
    # ---------------------------------------------------------------- descriptions, not duties
    case("065-passive-evaluation-with-kip-thoi-is-background",
         cv("Công tác cải cách thủ tục hành chính (TTHC) trên địa bàn tỉnh được quan tâm, triển khai đồng bộ; nhiều "
            "văn bản hướng dẫn được ban hành kịp thời; tiến độ thực hiện cơ bản bảo đảm theo tinh thần chỉ đạo.\n"
            "Nguyên nhân của những tồn tại, hạn chế nêu trên là một số cơ quan, đơn vị, địa phương thiếu tính chủ "
            "động, chưa chặt chẽ, kịp thời.\nĐề nghị các đơn vị kịp thời báo cáo những khó khăn, vướng mắc về Sở."),
         ["Đề nghị các đơn vị kịp thời báo cáo những khó khăn, vướng mắc"]),
    case("068-a-target-someone-assigned-is-no-assignment",
         cv("Giải ngân vốn đầu tư công tính đến hết ngày 31 tháng 10 năm 2025 đạt 72,4% kế hoạch Thủ tướng Chính phủ "
            "giao, cao hơn so với bình quân chung của cả nước.\nCác lĩnh vực văn hóa, thông tin, giáo dục, y tế được "
            "quan tâm và triển khai có hiệu quả.\nCác Bộ, cơ quan liên quan theo chức năng nhiệm vụ được giao nghiên "
            "cứu kỹ nội dung kiến nghị của tỉnh để xem xét, xử lý."),
         ["theo chức năng nhiệm vụ được giao nghiên cứu kỹ nội dung kiến nghị"]),
    case("066-an-imperative-item-with-a-past-clause-is-a-task",
         cv("1. Rà soát các chỉ tiêu phát triển kinh tế - xã hội đã được Hội đồng nhân dân tỉnh giao từ đầu năm, "
            "phấn đấu hoàn thành cao nhất tất cả các chỉ tiêu được giao."),
         ["Rà soát các chỉ tiêu phát triển kinh tế - xã hội đã được"]),
    case("066-a-long-ve-kien-nghi-item-heads-the-answer-below",
         cv("5. Về kiến nghị xem xét, trình Quốc hội phê duyệt chủ trương đầu tư; chủ động phê duyệt đầu tư các "
            "Chương trình mục tiêu quốc gia; ban hành quy định về cơ chế quản lý, tổ chức thực hiện các Chương trình "
            "mục tiêu quốc gia giai đoạn 2026 - 2030:\n\nBộ Tài chính khẩn trương hoàn thiện dự thảo Nghị định của "
            "Chính phủ quy định cơ chế quản lý các chương trình mục tiêu quốc gia."),
         ["Bộ Tài chính khẩn trương hoàn thiện dự thảo Nghị định"]),
    case("097-can-cu-ke-hoach-nay-then-subject-and-verb-is-a-task",
         cv("IV. TỔ CHỨC THỰC HIỆN\n\n1. Căn cứ kế hoạch này, Giám đốc các Sở, Thủ trưởng các ngành, UBND các xã, "
            "phường xây dựng kế hoạch cụ thể để triển khai thực hiện; kết quả thực hiện báo cáo về Công an tỉnh."),
         ["xây dựng kế hoạch cụ thể để triển khai thực hiện"]),
    case("033-a-lead-that-instructs-before-its-generic-tail-is-a-task",
         cv("Để thống nhất trong tổ chức thực hiện, Bảo hiểm xã hội Việt Nam chuyển Công văn số 627/BYT-BH và "
            "Công văn số 666/BYT-BH đề nghị BHXH các tỉnh nghiên cứu, phối hợp cùng các cơ sở khám, chữa bệnh BHYT "
            "triển khai thực hiện, đảm bảo quyền lợi cho người tham gia BHYT khi đi khám, chữa bệnh, đồng thời thực "
            "hiện một số nội dung sau:\n1. Rà soát việc kê thêm giường so với giường được phê duyệt."),
         ["đề nghị BHXH các tỉnh nghiên cứu, phối hợp cùng các cơ sở",
          "Rà soát việc kê thêm giường so với giường được phê duyệt"]),
    case("realistic-a-generic-lead-alone-is-no-task",
         cv("Sở Giáo dục và Đào tạo đề nghị các đơn vị triển khai thực hiện một số nội dung sau:\n"
            "1. Rà soát cơ sở vật chất phục vụ năm học mới."),
         ["Rà soát cơ sở vật chất phục vụ năm học mới"]),
    case("100-a-capitalised-heading-cut-from-its-number",
         cv("I. MỤC\n\nĐÍCH, YÊU CẦU\n\n1. Các trường chủ động xây dựng kế hoạch phòng chống thiên tai."),
         ["Các trường chủ động xây dựng kế hoạch phòng chống thiên tai"]),
]


def _match(tasks: list[str], anchors: list[str]) -> dict[str, int]:
    """Each anchor to the first unmatched task containing it."""
    used: dict[str, int] = {}
    for anchor in anchors:
        for i, text in enumerate(tasks):
            if i not in used.values() and _flat(anchor) in text:
                used[anchor] = i
                break
    return used


@pytest.mark.parametrize("text, required, optional, deadlines", TASK_CASES)
def test_tasks(text: str, required: list[str], optional: tuple[str, ...], deadlines: dict) -> None:
    tasks = extract_text(text).tasks
    texts = [_flat(t.text) for t in tasks]
    matched = _match(texts, required)
    assert [a for a in required if a not in matched] == [], f"tasks found: {[t.text for t in tasks]}"
    unexplained = [tasks[i].text for i, t in enumerate(texts)
                   if i not in matched.values() and not any(_flat(o) in t for o in optional)]
    assert unexplained == []
    for anchor, (date, recurrence) in deadlines.items():
        deadline = tasks[matched[anchor]].deadline
        assert (deadline.date, deadline.recurrence) == (date, recurrence), anchor
