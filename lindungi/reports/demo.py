"""Demo narrative of the network's 2012 annual report, in Indonesian and English.

Original summaries written for the fictional demo network; they cover the same ground as the
network's 2012 report (status of the coalition, the year's programs and events, successes and
lessons learned, challenges ahead). Programs, activities, events and the successes/lessons/
challenges entries come from the programs demo; figures are computed when the report is made.
"""

from __future__ import annotations

from lindungi.core.policy import Role
from lindungi.reports import services

NARRATIVE_2012 = {
    "id": {
        "intro": (
            "Jaringan Lindungi (demo) adalah koalisi nasional organisasi yang bekerja untuk menghapus eksploitasi "
            "seksual anak. Pada Maret 2012 status koalisi ditingkatkan menjadi kelompok nasional dari jaringan "
            "internasionalnya, sehingga jaringan kini menjadi satu-satunya perwakilan jaringan tersebut di Indonesia.\n\n"
            "Sekretariat di Jakarta mengoordinasikan empat anggota di empat provinsi: DKI Jakarta, Lampung, "
            "Kepulauan Riau (Batam) dan Sumatera Utara (Medan). Visi dan misi jaringan tidak hanya ditujukan kepada "
            "anggotanya, tetapi juga kepada masyarakat dan pemerintah."
        ),
        "highlights": (
            "Sepanjang 2012 jaringan menjalankan program advokasi dan partisipasi orang muda untuk mendukung Rencana "
            "Aksi Nasional penghapusan perdagangan orang dan eksploitasi seksual komersial anak, program pendidikan "
            "pencegahan di Tangerang Selatan bersama komunitas orang muda, serta pembentukan unit layanan hukum yang "
            "mulai mendampingi korban.\n\n"
            "Dua acara menonjol: konferensi regional tentang kejahatan seksual terhadap anak secara daring pada akhir "
            "Oktober, dengan peserta dan pembicara dari banyak negara, dan dialog nasional pada Desember tentang "
            "harmonisasi peraturan setelah ratifikasi Protokol Opsional. Jaringan juga melakukan penelitian tentang "
            "perdagangan anak di tiga wilayah dan menyiapkan program penguatan manajemen untuk 2013."
        ),
        "successes": (
            "Peningkatan status koalisi menunjukkan kepercayaan jaringan internasional atas kerja selama ini, "
            "menambah visibilitas jaringan, dan membuka akses ke mitra nasional, internasional dan aparat penegak "
            "hukum.\n\n"
            "Ratifikasi Protokol Opsional tentang penjualan anak, prostitusi anak dan pornografi anak melalui UU "
            "10/2012 merupakan hasil advokasi bersama yang ikut didorong jaringan.\n\n"
            "Kerja sama baru terjalin dengan lembaga pemerintah, organisasi masyarakat sipil, lembaga internasional, "
            "sektor swasta dan penegak hukum, termasuk untuk menangani kejahatan seksual daring terhadap anak."
        ),
        "lessons": (
            "Status baru menuntut penyesuaian di dalam organisasi: sistem dan manajemen perlu diselaraskan dengan "
            "arah strategis jaringan di tingkat global dan regional. Melibatkan orang muda sejak perencanaan membuat "
            "kegiatan pencegahan lebih mudah diterima oleh kelompok sebaya."
        ),
        "challenges": (
            "Komitmen berbagai pihak, baik pemerintah, masyarakat maupun swasta, perlu terus dibangun agar eksploitasi "
            "seksual anak ditangani sebagai masalah serius, dengan metode penanganan yang menyeluruh.\n\n"
            "Sumber daya manusia dan lembaga pendukung masih terbatas dan menghambat pengembangan program.\n\n"
            "Menerapkan protokol yang telah diratifikasi ke dalam undang-undang dan kebijakan nasional adalah tantangan "
            "sekaligus peluang bagi jaringan untuk mengarahkan perubahan legislasi."
        ),
        "closing": (
            "Terima kasih kepada anggota, mitra, donor dan semua pihak yang mendukung kerja jaringan sepanjang 2012."
        ),
    },
    "en": {
        "intro": (
            "The Lindungi network (demo) is a national coalition of organisations working to end the sexual "
            "exploitation of children. In March 2012 the coalition was upgraded to a national group of its "
            "international network, making it that network's only representative in Indonesia.\n\n"
            "The secretariat in Jakarta coordinates four members in four provinces: DKI Jakarta, Lampung, Riau "
            "Islands (Batam) and North Sumatra (Medan). The network's vision and mission address not only its "
            "members but also the public and the government."
        ),
        "highlights": (
            "In 2012 the network ran an advocacy and youth-participation program supporting the National Action Plan "
            "against trafficking and the commercial sexual exploitation of children, a prevention-education program "
            "with a youth community in South Tangerang, and set up a legal-services unit that began accompanying "
            "victims.\n\n"
            "Two events stood out: a regional conference on online child sexual exploitation at the end of October, "
            "with participants and speakers from many countries, and a national dialogue in December on harmonising "
            "regulations after the ratification of the Optional Protocol. The network also researched child "
            "trafficking in three areas and prepared a management-strengthening program for 2013."
        ),
        "successes": (
            "The coalition's new status shows the international network's confidence in its work, raises its "
            "visibility and opens doors to national and international partners and to law enforcement.\n\n"
            "The ratification of the Optional Protocol on the sale of children, child prostitution and child "
            "pornography through Law 10/2012 is a result of joint advocacy the network helped drive.\n\n"
            "New partnerships were formed with government bodies, civil-society organisations, international "
            "agencies, the private sector and law enforcement, including on online child sexual exploitation."
        ),
        "lessons": (
            "The new status calls for changes inside the organisation: systems and management need to follow the "
            "network's global and regional strategy. Involving young people from the planning stage makes prevention "
            "activities easier for their peers to accept."
        ),
        "challenges": (
            "The commitment of government, communities and business must keep being built so that the sexual "
            "exploitation of children is treated as the serious problem it is, with comprehensive ways of "
            "responding.\n\n"
            "Human resources and supporting institutions are still scarce, which holds back new programs.\n\n"
            "Bringing the ratified protocol into national law and policy is both a challenge and an opportunity for "
            "the network to steer legislative change."
        ),
        "closing": "Thank you to the members, partners, donors and everyone who supported the network's work in 2012.",
    },
}


def load(ctx) -> None:
    actor = ctx.user("SEK", Role.ME_OFFICER.value)
    for language, sections in NARRATIVE_2012.items():
        services.narrative_save(actor=actor, year=2012, organisation=None, language=language, sections=sections)
