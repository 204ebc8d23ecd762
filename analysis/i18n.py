"""The one translation table (English, Bahasa Indonesia) for the report and the visualizer.

Labels live here, never in the code that draws them: ``t("awareness", "id")``.
"""

from __future__ import annotations

LANGUAGES = ("en", "id")

LABELS: dict[str, dict[str, str]] = {
    # strategies
    "baseline": {"en": "Baseline (no programme)", "id": "Tanpa program (pembanding)"},
    "area_based": {"en": "Area-based", "id": "Berbasis wilayah"},
    "enterprise_based": {"en": "Enterprise-based", "id": "Berbasis wirausaha"},
    "hybrid": {"en": "Hybrid", "id": "Gabungan"},
    # monthly measures
    "month": {"en": "Month", "id": "Bulan"},
    "dependency": {"en": "Dependency on patrons", "id": "Ketergantungan pada patron"},
    "awareness": {"en": "Critical awareness", "id": "Kesadaran kritis"},
    "skills": {"en": "Skills", "id": "Keterampilan"},
    "trust": {"en": "Trust in facilitators", "id": "Kepercayaan pada pendamping"},
    "self_reliance": {"en": "Self-reliance", "id": "Kemandirian"},
    "self_reliant_share": {"en": "Share of households self-reliant", "id": "Proporsi rumah tangga mandiri"},
    "in_group_share": {"en": "Share of households in a group", "id": "Proporsi rumah tangga dalam kelompok"},
    "groups_forming": {"en": "Groups forming", "id": "Kelompok sedang dibentuk"},
    "groups_active": {"en": "Groups active", "id": "Kelompok aktif"},
    "groups_mature": {"en": "Groups mature (mandiri)", "id": "Kelompok mandiri"},
    "groups_dissolved": {"en": "Groups dissolved", "id": "Kelompok bubar"},
    "patron_rent": {"en": "Patron rent", "id": "Rente patron"},
    "wealth_gini": {"en": "Wealth inequality (Gini)", "id": "Ketimpangan kekayaan (Gini)"},
    "wealth": {"en": "Wealth", "id": "Kekayaan"},
    "facilitator_months": {"en": "Facilitator-months", "id": "Bulan-pendamping"},
    "internal_facilitators": {"en": "Internal facilitators", "id": "Pendamping dari dalam"},
    # agents
    "household": {"en": "Household", "id": "Rumah tangga"},
    "patron": {"en": "Patron", "id": "Patron"},
    "facilitator": {"en": "Facilitator", "id": "Pendamping"},
    "facilitator_left": {"en": "Facilitator (left)", "id": "Pendamping (sudah pergi)"},
    "group": {"en": "Self-help group (KSM)", "id": "Kelompok Swadaya Masyarakat (KSM)"},
    "hamlet": {"en": "Hamlet", "id": "Dusun"},
    "programme_end": {"en": "Programme end", "id": "Akhir program"},
    # visualizer (berdaya/viz/)
    "viz.title": {"en": "Berdaya: watch a village organise itself", "id": "Berdaya: desa mengorganisir dirinya"},
    "viz.scenario": {"en": "Start from scenario", "id": "Mulai dari skenario"},
    "viz.strategy": {"en": "Organising strategy", "id": "Strategi pengorganisasian"},
    "viz.seed": {"en": "Random seed (same seed, same run)", "id": "Benih acak (benih sama, hasil sama)"},
    "viz.seed_short": {"en": "Seed", "id": "Benih"},
    "viz.month_of": {"en": "Month {month} of {months}", "id": "Bulan {month} dari {months}"},
    "viz.finished": {"en": "The run is over.", "id": "Simulasi selesai."},
    "viz.model_in_use": {"en": "Village now running", "id": "Desa yang sedang berjalan"},
    "viz.households": {"en": "households", "id": "rumah tangga"},
    "viz.none": {"en": "none", "id": "tidak ada"},
    "viz.error": {"en": "These settings do not make a village", "id": "Pengaturan ini tidak membentuk desa"},
    "viz.help": {
        "en": "Each square is a household, coloured by the measure you pick. Press ▶ Play and watch self-help groups "
        "(KSM) form as outlined squares, patrons resist (red triangles) or cooperate (green), and the NGO's "
        "facilitators (blue dots) leave at the programme's end (grey crosses).",
        "id": "Setiap kotak adalah satu rumah tangga, diwarnai menurut ukuran yang Anda pilih. Tekan ▶ Putar dan lihat "
        "KSM terbentuk (kotak bergaris tepi), patron menolak (segitiga merah) atau bekerja sama (hijau), dan "
        "pendamping LSM (titik biru) pergi di akhir program (silang abu-abu).",
    },
    "viz.settings": {"en": "Settings", "id": "Pengaturan"},
    "viz.close": {"en": "Close", "id": "Tutup"},
    "viz.play": {"en": "Play", "id": "Putar"},
    "viz.pause": {"en": "Pause", "id": "Jeda"},
    "viz.step": {"en": "One month", "id": "Satu bulan"},
    "viz.reset": {"en": "Start again", "id": "Mulai lagi"},
    "viz.to_end": {"en": "To the end", "id": "Sampai akhir"},
    "viz.reset_hint": {
        "en": "Start again builds a new village at month 0 from the settings as they show now.",
        "id": "Mulai lagi membangun desa baru pada bulan 0 dari pengaturan yang tampil sekarang.",
    },
    "viz.pending": {
        "en": "Settings changed: press Start again to build a village with them.",
        "id": "Pengaturan diubah: tekan Mulai lagi untuk membangun desa dengannya.",
    },
    "viz.status_ready": {"en": "Ready: press ▶ Play or One month.", "id": "Siap: tekan ▶ Putar atau Satu bulan."},
    "viz.status_playing": {"en": "Playing: computing month {month}…", "id": "Berjalan: menghitung bulan {month}…"},
    "viz.status_step": {"en": "Computing month {month}…", "id": "Menghitung bulan {month}…"},
    "viz.status_pausing": {"en": "Pausing: finishing month {month}…", "id": "Menjeda: menyelesaikan bulan {month}…"},
    "viz.status_paused": {"en": "Paused.", "id": "Dijeda."},
    "viz.mode": {"en": "What to explore", "id": "Yang ingin dijelajahi"},
    "viz.free": {"en": "Free play: one village", "id": "Main bebas: satu desa"},
    "viz.card_prefix": {"en": "Experiment", "id": "Percobaan"},
    "viz.controls": {"en": "The village and the programme", "id": "Desa dan programnya"},
    "viz.key": {"en": "Key", "id": "Keterangan"},
    "viz.internal_facilitators": {
        "en": "Mature groups grow their own facilitators",
        "id": "Kelompok mandiri menumbuhkan pendamping sendiri",
    },
    "viz.village_a": {"en": "Village A", "id": "Desa A"},
    "viz.village_b": {"en": "Village B", "id": "Desa B"},
    "viz.question": {"en": "Think before you press ▶ Play", "id": "Pikirkan sebelum menekan ▶ Putar"},
    "viz.same_seed": {
        "en": "Both villages grow from random seed {seed}: the same households, patrons and places. One thing differs: {switch}.",
        "id": "Kedua desa tumbuh dari benih acak {seed}: rumah tangga, patron dan tempat yang sama. Satu hal berbeda: {switch}.",
    },
    "viz.source": {"en": "From source text {seed}", "id": "Dari teks sumber {seed}"},
    "viz.share_link": {"en": "Link to this experiment", "id": "Tautan ke percobaan ini"},
    "viz.reading": {"en": "What differed", "id": "Apa yang berbeda"},
    "viz.reading_wait": {
        "en": "The reading appears when both villages reach month {months}.",
        "id": "Pembacaan muncul setelah kedua desa mencapai bulan {months}.",
    },
    "viz.reading_line": {"en": "{measure}: A {a}, B {b}: {verdict}.", "id": "{measure}: A {a}, B {b}: {verdict}."},
    "viz.reading_higher": {"en": "{who} higher by {diff}", "id": "{who} lebih tinggi {diff}"},
    "viz.reading_same": {"en": "about the same", "id": "hampir sama"},
    "viz.reading_month": {"en": "At month {month}:", "id": "Pada bulan {month}:"},
    "viz.reading_after": {
        "en": "From the programme's end (month {end}) to month {month}, the share self-reliant went from {a0} to {a1} in A and from {b0} to {b1} in B.",
        "id": "Dari akhir program (bulan {end}) sampai bulan {month}, proporsi mandiri berubah dari {a0} menjadi {a1} di A dan dari {b0} menjadi {b1} di B.",
    },
    "viz.reading_caveat": {
        "en": "This is one pair of villages. Change the random seed in Settings and run again: does the difference hold?",
        "id": "Ini hanya sepasang desa. Ganti benih acak di Pengaturan lalu jalankan lagi: apakah perbedaannya bertahan?",
    },
    "viz.patrons_on": {"en": "patrons engaged", "id": "patron dilibatkan"},
    "viz.patrons_off": {"en": "patrons ignored", "id": "patron diabaikan"},
    "viz.internal_on": {"en": "groups grow facilitators", "id": "kelompok menumbuhkan pendamping"},
    "viz.internal_off": {"en": "no facilitators from groups", "id": "tanpa pendamping dari kelompok"},
    "card.exit.title": {"en": "Leave all at once, or step by step?", "id": "Pergi sekaligus, atau bertahap?"},
    "card.exit.question": {
        "en": "The NGO's facilitators leave when the programme ends. In A they leave all at once; in B they hand over step by step. Which village keeps more self-reliant households afterwards, and why?",
        "id": "Pendamping LSM pergi ketika program berakhir. Di A mereka pergi sekaligus; di B mereka menyerahkan tugas sedikit demi sedikit. Desa mana yang mempertahankan lebih banyak rumah tangga mandiri sesudahnya, dan mengapa?",
    },
    "card.management.title": {
        "en": "Who holds the project: the NGO or the community?",
        "id": "Siapa memegang proyek: LSM atau masyarakat?",
    },
    "card.management.question": {
        "en": "In A the NGO manages the project; in B the community manages it. Where do groups become mature (mandiri) sooner? What does the NGO's control cost?",
        "id": "Di A, LSM mengelola proyek; di B, masyarakat yang mengelolanya. Di mana kelompok lebih cepat mandiri? Apa harga kendali LSM?",
    },
    "card.patrons.title": {
        "en": "Talk with the patrons, or go around them?",
        "id": "Berbicara dengan patron, atau melewatinya?",
    },
    "card.patrons.question": {
        "en": "In A the organisers engage patrons and village leaders; in B they ignore them. Will fewer patrons resist? Will more households leave dependency?",
        "id": "Di A, pengorganisir melibatkan patron dan tokoh desa; di B, mereka diabaikan. Apakah lebih sedikit patron yang menolak? Apakah lebih banyak rumah tangga lepas dari ketergantungan?",
    },
    "card.strategy.title": {
        "en": "Organise a whole area, or start from enterprises?",
        "id": "Mengorganisir satu wilayah, atau mulai dari usaha?",
    },
    "card.strategy.question": {
        "en": "A organises hamlet by hamlet (area-based); B starts from small enterprises and their markets (enterprise-based). Which reaches more households? Which leaves more self-reliant ones?",
        "id": "A mengorganisir dusun demi dusun (berbasis wilayah); B mulai dari usaha kecil dan pasarnya (berbasis wirausaha). Mana yang menjangkau lebih banyak rumah tangga? Mana yang menghasilkan lebih banyak rumah tangga mandiri?",
    },
    "card.internal.title": {"en": "Facilitators from inside the village?", "id": "Pendamping dari dalam desa?"},
    "card.internal.question": {
        "en": "In A, mature groups train their own members as facilitators; in B they do not. What happens after the NGO's facilitators leave?",
        "id": "Di A, kelompok mandiri melatih anggotanya sendiri menjadi pendamping; di B tidak. Apa yang terjadi setelah pendamping LSM pergi?",
    },
    "viz.colour_households": {"en": "Colour households by", "id": "Warnai rumah tangga menurut"},
    "viz.knowledge_manager": {
        "en": "NGO writes training modules (knowledge manager)",
        "id": "LSM menulis modul pelatihan (pengelola pengetahuan)",
    },
    "viz.patron_engagement": {"en": "Engage patrons and village leaders", "id": "Libatkan patron dan tokoh desa"},
    "viz.networks": {"en": "Enterprise networks", "id": "Jaringan usaha"},
    "viz.exit_mode": {"en": "How facilitators leave", "id": "Cara pendamping keluar"},
    "viz.project_management": {"en": "Who manages the project", "id": "Siapa mengelola proyek"},
    "exit_mode.phased": {"en": "Phased (gradual)", "id": "Bertahap"},
    "exit_mode.abrupt": {"en": "Abrupt", "id": "Mendadak"},
    "exit_mode.none": {"en": "Never (control)", "id": "Tidak pernah (pembanding)"},
    "management.ngo": {"en": "The NGO", "id": "LSM"},
    "management.community": {"en": "The community", "id": "Masyarakat"},
    "network.organic_market": {"en": "Organic market", "id": "Pasar organik"},
    "network.community_radio": {"en": "Community radio", "id": "Radio komunitas"},
    "network.ecotourism": {"en": "Ecotourism", "id": "Ekowisata"},
    "network.paralegal": {"en": "Paralegal", "id": "Paralegal"},
    "scenario.community_managed": {
        "en": "Area-based, community-managed",
        "id": "Berbasis wilayah, dikelola masyarakat",
    },
    "scenario.ngo_managed": {"en": "Area-based, NGO-managed", "id": "Berbasis wilayah, dikelola LSM"},
    "scenario.exit_abrupt": {"en": "Area-based, abrupt exit", "id": "Berbasis wilayah, keluar mendadak"},
    "scenario.exit_none": {"en": "Area-based, facilitators stay", "id": "Berbasis wilayah, pendamping menetap"},
    "scenario.exit_phased": {"en": "Area-based, phased exit", "id": "Berbasis wilayah, keluar bertahap"},
    "scenario.high_shock": {"en": "Area-based, frequent shocks", "id": "Berbasis wilayah, sering guncangan"},
    "scenario.large_village": {"en": "Area-based, large village (slow)", "id": "Berbasis wilayah, desa besar (lambat)"},
    "scenario.patrons_cooperative": {
        "en": "Area-based, cooperative patrons",
        "id": "Berbasis wilayah, patron kooperatif",
    },
    "scenario.patrons_engaged": {"en": "Area-based, patrons engaged", "id": "Berbasis wilayah, patron dilibatkan"},
    "scenario.patrons_ignored": {"en": "Area-based, patrons ignored", "id": "Berbasis wilayah, patron diabaikan"},
    "scenario.patrons_resistant": {"en": "Area-based, resistant patrons", "id": "Berbasis wilayah, patron menolak"},
    "param.n_facilitators": {"en": "Outside facilitators", "id": "Pendamping dari luar"},
    "param.capacity": {"en": "Contacts per facilitator", "id": "Kontak per pendamping"},
    "param.programme_months": {"en": "Programme length", "id": "Lama program"},
    "param.exit_taper_months": {"en": "Length of a phased exit", "id": "Lama keluar bertahap"},
    "param.months": {"en": "Months to simulate", "id": "Lama simulasi"},
    "param.extraction": {"en": "Patron extraction", "id": "Pungutan patron"},
    "param.openness_mean": {
        "en": "Patron openness (0 resistant, 1 cooperative)",
        "id": "Keterbukaan patron (0 menolak, 1 kooperatif)",
    },
    "param.pressure": {"en": "Pressure of resistant patrons", "id": "Tekanan patron yang menolak"},
    "param.shock_rate": {"en": "Chance of a shock", "id": "Peluang guncangan"},
    "param.width": {"en": "Village width", "id": "Lebar desa"},
    "param.height": {"en": "Village height", "id": "Tinggi desa"},
    "param.density": {"en": "Cells with a household", "id": "Sel berisi rumah tangga"},
    "param.n_hamlets": {"en": "Number of hamlets", "id": "Jumlah dusun"},
    "unit.facilitators": {"en": "facilitators", "id": "pendamping"},
    "unit.contacts / month": {"en": "contacts / month", "id": "kontak / bulan"},
    "unit.months": {"en": "months", "id": "bulan"},
    "unit.share of dependent income": {
        "en": "share of dependent income",
        "id": "bagian dari pendapatan yang bergantung",
    },
    "unit.share": {"en": "share", "id": "proporsi"},
    "unit.per month": {"en": "per month", "id": "per bulan"},
    "unit.per household-month": {"en": "per household per month", "id": "per rumah tangga per bulan"},
    "unit.cells": {"en": "cells", "id": "sel"},
    "unit.share of cells": {"en": "share of cells", "id": "proporsi sel"},
    "unit.hamlets": {"en": "hamlets", "id": "dusun"},
    "map_title": {"en": "The village", "id": "Desa"},
    "colour_by": {"en": "Colour", "id": "Warna"},
    "scale_index": {"en": "0 = none, 1 = full", "id": "0 = tidak ada, 1 = penuh"},
    "scale_wealth": {
        "en": "months of subsistence saved, full colour at {top}",
        "id": "tabungan dalam bulan kebutuhan hidup, warna penuh pada {top}",
    },
    "no_household": {"en": "No household", "id": "Tanpa rumah tangga"},
    "legend_groups": {
        "en": "Outlined: member of a self-help group (KSM); one colour per group",
        "id": "Bergaris tepi: anggota KSM; satu warna per kelompok",
    },
    "legend_forming": {"en": "dashed: group forming", "id": "putus-putus: kelompok dibentuk"},
    "legend_active": {"en": "thin: group active", "id": "tipis: kelompok aktif"},
    "legend_mature": {"en": "thick: group mature (mandiri)", "id": "tebal: kelompok mandiri"},
    "patron_resistant": {"en": "Patron, resistant", "id": "Patron, menolak"},
    "patron_cooperative": {"en": "Patron, cooperative", "id": "Patron, kooperatif"},
    "facilitator_ngo": {"en": "Facilitator from the NGO", "id": "Pendamping dari LSM"},
    "facilitator_internal": {"en": "Facilitator from a group", "id": "Pendamping dari kelompok"},
    "facilitator_counts": {
        "en": "Facilitators now: {ngo} from the NGO,\n{internal} from groups; {left} have left",
        "id": "Pendamping kini: {ngo} dari LSM,\n{internal} dari kelompok; {left} sudah pergi",
    },
    "hamlet_border": {"en": "Hamlet border", "id": "Batas dusun"},
    "plot_measures": {"en": "Village averages, month by month", "id": "Rata-rata desa, bulan demi bulan"},
    "plot_groups": {"en": "Self-help groups (KSM) by stage", "id": "KSM menurut tahap"},
    "share_axis": {"en": "Share or index (0 to 1)", "id": "Proporsi atau indeks (0 sampai 1)"},
    "groups_axis": {"en": "Groups", "id": "Kelompok"},
    "groups_dissolved_total": {"en": "Groups dissolved (so far)", "id": "Kelompok bubar (sejauh ini)"},
    # sensitivity and robustness (analysis/studies/)
    "sens.section": {
        "en": "Sensitivity: which guessed parameters decide the outcomes",
        "id": "Sensitivitas: parameter dugaan mana yang menentukan hasil",
    },
    "sens.morris_title": {"en": "Morris screening", "id": "Penyaringan Morris"},
    "sens.sobol_title": {"en": "Sobol' variance shares", "id": "Pembagian varians Sobol'"},
    "sens.morris_settings": {
        "en": "{factors} parameters varied over the schema's ranges, {samples} trajectories, {runs} runs ({replicates} replicate(s) per point), scenario {scenario}. mu* is the mean absolute change of the outcome when one parameter moves by two thirds of its range; sigma shows interactions or curvature.",
        "id": "{factors} parameter divariasikan dalam rentang skema, {samples} lintasan, {runs} simulasi ({replicates} ulangan per titik), skenario {scenario}. mu* adalah rata-rata perubahan mutlak hasil ketika satu parameter bergeser dua pertiga rentangnya; sigma menunjukkan interaksi atau kelengkungan.",
    },
    "sens.sobol_settings": {
        "en": "{factors} parameters varied over the schema's ranges, {samples} base samples, {runs} runs ({replicates} replicate(s) per point), scenario {scenario}. S1 is the share of the outcome's variance a parameter explains alone, ST the share it has a hand in, interactions included.",
        "id": "{factors} parameter divariasikan dalam rentang skema, {samples} sampel dasar, {runs} simulasi ({replicates} ulangan per titik), skenario {scenario}. S1 adalah bagian varians hasil yang dijelaskan satu parameter sendiri, ST bagian yang melibatkannya, termasuk interaksi.",
    },
    "sens.noise_note": {
        "en": "The dashed line is the index of a dummy parameter that no run reads: what the model's randomness alone produces. Bars that do not clear it cannot be told from noise. Where an outcome is undefined (sustainability with nobody self-reliant at programme end), the base samples holding such a point are left out (n_used).",
        "id": "Garis putus-putus adalah indeks parameter tiruan yang tidak dibaca simulasi mana pun: hasil keacakan model saja. Batang yang tidak melewatinya tidak dapat dibedakan dari derau. Jika hasil tidak terdefinisi (keberlanjutan tanpa rumah tangga mandiri di akhir program), sampel dasar yang memuat titik itu dikeluarkan (n_used).",
    },
    "sens.top_note": {
        "en": "The five largest indices above the noise floor, per outcome:",
        "id": "Lima indeks terbesar di atas ambang derau, per hasil:",
    },
    "sens.noise": {"en": "noise floor", "id": "ambang derau"},
    "sens.below_noise": {"en": "ST below the noise floor", "id": "ST di bawah ambang derau"},
    "sens.effect_unit": {"en": "outcome units", "id": "satuan hasil"},
    "sens.variance_share": {"en": "share of variance", "id": "bagian varians"},
    "sens.self_reliant_share_horizon": {
        "en": "Share self-reliant at the horizon",
        "id": "Proporsi mandiri di akhir simulasi",
    },
    "sens.sustainability": {
        "en": "Sustainability (horizon / programme end)",
        "id": "Keberlanjutan (akhir simulasi / akhir program)",
    },
    "sens.dependency_horizon": {"en": "Dependency at the horizon", "id": "Ketergantungan di akhir simulasi"},
    "sens.facilitator_months_per_self_reliant": {
        "en": "Facilitator-months per self-reliant household",
        "id": "Bulan-pendamping per rumah tangga mandiri",
    },
    # strategy comparison report (analysis/report.py, analysis/verdict.py, analysis/figures.py)
    "report.title": {
        "en": "Which organising strategy? A comparison of {k} strategies",
        "id": "Strategi pengorganisasian mana? Perbandingan {k} strategi",
    },
    "report.subtitle": {
        "en": "Simulated with berdaya, an agent-based model of a village",
        "id": "Hasil simulasi berdaya, model berbasis agen untuk sebuah desa",
    },
    "report.intro": {"en": "{k} strategies × {n} runs", "id": "{k} strategi × {n} simulasi"},
    "report.intro_survey": {
        "en": "the surveyed village of {households} households ({file})",
        "id": "desa hasil survei dengan {households} rumah tangga ({file})",
    },
    "report.intro_village": {
        "en": "a village of about {households} households ({width} × {height} cells)",
        "id": "desa dengan sekitar {households} rumah tangga ({width} × {height} petak)",
    },
    "report.intro_months": {
        "en": "{months} months per run, the programme in the first {programme}",
        "id": "setiap simulasi {months} bulan, program berjalan pada {programme} bulan pertama",
    },
    "report.effect_sum_one": {
        "en": "{leader} made the most households self-reliant by the end of the programme ({value}), clearly more than every other strategy.",
        "id": "Pada akhir program, {leader} menghasilkan rumah tangga mandiri paling banyak ({value}), jelas lebih banyak daripada strategi lainnya.",
    },
    "report.effect_sum_tied": {
        "en": "{leaders} made the most households self-reliant by the end of the programme, with no clear difference between them.",
        "id": "Pada akhir program, {leaders} menghasilkan rumah tangga mandiri paling banyak, tanpa selisih yang jelas di antara mereka.",
    },
    "report.effect_sum_none": {
        "en": "No strategy made clearly more households self-reliant by the end of the programme than the others.",
        "id": "Pada akhir program, tidak ada strategi yang jelas menghasilkan rumah tangga mandiri lebih banyak daripada strategi lain.",
    },
    "report.cost_sum_one": {
        "en": "{leader} needed the fewest facilitator-months per self-reliant household ({value}), clearly fewer than every other strategy with facilitators.",
        "id": "{leader} paling hemat: {value} bulan kerja pendamping per rumah tangga mandiri, jelas lebih hemat daripada strategi lain yang memakai pendamping.",
    },
    "report.cost_sum_tied": {
        "en": "{leaders} needed the fewest facilitator-months per self-reliant household, with no clear difference between them.",
        "id": "{leaders} sama-sama paling hemat dalam bulan kerja pendamping per rumah tangga mandiri; selisihnya tidak jelas.",
    },
    "report.cost_sum_none": {
        "en": "No strategy needed clearly fewer facilitator-months per self-reliant household than the others.",
        "id": "Tidak ada strategi yang jelas lebih hemat dalam bulan kerja pendamping per rumah tangga mandiri.",
    },
    "report.lasting_sum_one": {
        "en": "At the end of the run, {leader} had the most households self-reliant ({value}), clearly more than every other strategy.",
        "id": "Di akhir simulasi, {leader} punya rumah tangga mandiri paling banyak ({value}), jelas lebih banyak daripada strategi lainnya.",
    },
    "report.lasting_sum_tied": {
        "en": "At the end of the run, {leaders} had the most households self-reliant, with no clear difference between them.",
        "id": "Di akhir simulasi, {leaders} punya rumah tangga mandiri paling banyak, tanpa selisih yang jelas di antara mereka.",
    },
    "report.lasting_sum_none": {
        "en": "At the end of the run, no strategy had clearly more households self-reliant than the others.",
        "id": "Di akhir simulasi, tidak ada strategi yang jelas punya rumah tangga mandiri lebih banyak daripada strategi lain.",
    },
    "report.sure_sum": {
        "en": "With {n} runs per strategy, {clear} of {total} pairs of strategies differ clearly in the share self-reliant at programme end.",
        "id": "Dengan {n} simulasi per strategi, {clear} dari {total} pasangan strategi berbeda jelas dalam persentase rumah tangga mandiri pada akhir program.",
    },
    "report.and": {"en": "and", "id": "dan"},
    "report.points": {"en": "points", "id": "poin"},
    "report.range": {"en": "{low} to {high}", "id": "{low} hingga {high}"},
    "report.na": {"en": "—", "id": "—"},
    "report.k_effect": {"en": "Effect", "id": "Dampak"},
    "report.k_cost": {"en": "Cost", "id": "Biaya"},
    "report.k_lasting": {"en": "Lasting", "id": "Daya tahan"},
    "report.k_sure": {"en": "How sure", "id": "Tingkat keyakinan"},
    "report.q_effect": {
        "en": "Which strategy makes the most households self-reliant?",
        "id": "Strategi mana yang menghasilkan rumah tangga mandiri paling banyak?",
    },
    "report.q_cost": {"en": "At what cost?", "id": "Berapa biayanya?"},
    "report.q_lasting": {"en": "Does it last?", "id": "Apakah hasilnya bertahan?"},
    "report.q_sure": {"en": "How sure are we?", "id": "Seberapa yakin kita?"},
    "report.clear": {"en": "a clear difference", "id": "selisihnya jelas"},
    "report.not_clear": {"en": "no clear difference", "id": "selisihnya tidak jelas"},
    "report.no_clear_from": {"en": "No clear difference from {names}.", "id": "Selisihnya dengan {names} tidak jelas."},
    "report.single": {
        "en": "{measure}, {leader}: {value} (95% CI {ci}); no other strategy to compare it with.",
        "id": "{measure}, {leader}: {value} (rentang 95% {ci}); tidak ada strategi lain sebagai pembanding.",
    },
    "report.no_values": {
        "en": "No run gave a value for this measure.",
        "id": "Tidak ada simulasi yang menghasilkan nilai untuk ukuran ini.",
    },
    "report.effect_best": {
        "en": "{leader} made the most households self-reliant by the end of the programme: {value} (95% CI {ci}).",
        "id": "Pada akhir program, {leader} menghasilkan rumah tangga mandiri paling banyak: {value} (rentang 95% {ci}).",
    },
    "report.effect_clearly": {
        "en": "It is clearly ahead of {names}.",
        "id": "Hasilnya jelas lebih tinggi daripada {names}.",
    },
    "report.effect_none_clear": {
        "en": "No clear difference between the strategies in the share of households self-reliant at programme end ({values}).",
        "id": "Selisih antarstrategi dalam persentase rumah tangga mandiri pada akhir program tidak jelas ({values}).",
    },
    "report.effect_detail": {
        "en": "{a} vs {b}: {difference} (95% CI {ci}), {verdict}; {a} came out higher in {share} of replicate pairs.",
        "id": "{a} dibanding {b}: {difference} (rentang 95% {ci}), {verdict}; {a} lebih tinggi di {share} ulangan.",
    },
    "report.cost_best": {
        "en": "{leader} needed the fewest facilitator-months per self-reliant household: {value} (95% CI {ci}).",
        "id": "{leader} paling hemat: {value} bulan kerja pendamping per rumah tangga mandiri (rentang 95% {ci}).",
    },
    "report.cost_clearly": {"en": "It is clearly cheaper than {names}.", "id": "Jelas lebih hemat daripada {names}."},
    "report.cost_none_clear": {
        "en": "No clear difference between the strategies in facilitator-months per self-reliant household ({values}).",
        "id": "Selisih antarstrategi dalam bulan kerja pendamping per rumah tangga mandiri tidak jelas ({values}).",
    },
    "report.cost_detail": {
        "en": "{a} vs {b}: {difference} facilitator-months (95% CI {ci}), {verdict}; {a} was cheaper in {share} of replicate pairs.",
        "id": "{a} dibanding {b}: {difference} bulan kerja pendamping (rentang 95% {ci}), {verdict}; {a} lebih hemat di {share} ulangan.",
    },
    "report.cost_idle": {
        "en": "{names} fielded no facilitators, so has no cost to compare.",
        "id": "{names} tidak menerjunkan pendamping, jadi tidak punya biaya untuk dibandingkan.",
    },
    "report.cost_no_facilitators": {
        "en": "No strategy fielded facilitators, so there is no cost to compare.",
        "id": "Tidak ada strategi yang menerjunkan pendamping, jadi tidak ada biaya untuk dibandingkan.",
    },
    "report.lasting_best": {
        "en": "At the end of the run, {leader} had the most households self-reliant: {value} (95% CI {ci}).",
        "id": "Di akhir simulasi, {leader} punya rumah tangga mandiri paling banyak: {value} (rentang 95% {ci}).",
    },
    "report.lasting_clearly": {
        "en": "It is clearly ahead of {names}.",
        "id": "Hasilnya jelas lebih tinggi daripada {names}.",
    },
    "report.lasting_none_clear": {
        "en": "No clear difference between the strategies in the share of households self-reliant at the end of the run ({values}).",
        "id": "Selisih antarstrategi dalam persentase rumah tangga mandiri di akhir simulasi tidak jelas ({values}).",
    },
    "report.lasting_detail": {
        "en": "{a} vs {b}: {difference} (95% CI {ci}), {verdict}; {a} came out higher in {share} of replicate pairs.",
        "id": "{a} dibanding {b}: {difference} (rentang 95% {ci}), {verdict}; {a} lebih tinggi di {share} ulangan.",
    },
    "report.lasting_when": {
        "en": "The run ends {months} months after the programme.",
        "id": "Simulasi berakhir {months} bulan setelah program selesai.",
    },
    "report.lasting_no_after": {
        "en": "The runs stop when the programme ends, so they cannot show whether the gains last; run longer (village.months) to see.",
        "id": "Simulasi berhenti saat program selesai, jadi belum terlihat apakah hasilnya bertahan; perpanjang simulasi (village.months) untuk melihatnya.",
    },
    "report.after_programme": {
        "en": "After the programme (× = share self-reliant at the end of the run ÷ share at programme end): {parts}.",
        "id": "Setelah program (× = persentase mandiri di akhir simulasi ÷ persentase di akhir program): {parts}.",
    },
    "report.after_grew": {"en": "the share went on growing in {names}", "id": "terus naik pada {names}"},
    "report.after_steady": {
        "en": "it held about steady (no clear change) in {names}",
        "id": "kurang lebih tetap (tanpa perubahan yang jelas) pada {names}",
    },
    "report.after_fell": {"en": "it fell back in {names}", "id": "turun lagi pada {names}"},
    "report.sure_replicates": {
        "en": "Each strategy was run {n} times, each time with a different random village and different chance events.",
        "id": "Setiap strategi dijalankan {n} kali, masing-masing dengan desa acak dan kejadian kebetulan yang berbeda.",
    },
    "report.sure_replicates_surveyed": {
        "en": "Each strategy was run {n} times on the surveyed village, each time with different chance events.",
        "id": "Setiap strategi dijalankan {n} kali pada desa hasil survei, masing-masing dengan kejadian kebetulan yang berbeda.",
    },
    "report.sure_width": {
        "en": "The 95% confidence intervals of the share self-reliant at programme end are about ±{width} points wide (widest: {widest}, ±{widest_width}).",
        "id": "Rentang 95% untuk persentase rumah tangga mandiri pada akhir program rata-rata selebar ±{width} poin (paling lebar: {widest}, ±{widest_width}).",
    },
    "report.sure_pairs": {
        "en": "{clear} of {total} pairs of strategies differ clearly on that share.",
        "id": "{clear} dari {total} pasangan strategi berbeda jelas pada persentase itu.",
    },
    "report.sure_more": {
        "en": "More runs of each strategy narrow the intervals: four times as many halve their width.",
        "id": "Menambah simulasi tiap strategi mempersempit rentang: dengan simulasi empat kali lipat, rentangnya kira-kira tinggal separuh.",
    },
    "report.sure_failed": {
        "en": "{failed} runs failed and are left out (their errors are in runs/).",
        "id": "{failed} simulasi gagal dan tidak dihitung (pesan kesalahannya ada di runs/).",
    },
    "report.sure_model": {
        "en": "The ranges measure what the model gives; they do not say how well the model matches a real village.",
        "id": "Rentang ini mengukur apa yang dihasilkan model; rentang ini tidak menunjukkan seberapa cocok model dengan desa yang sesungguhnya.",
    },
    "report.self_reliant_share_programme_end": {
        "en": "Self-reliant households, programme end",
        "id": "Rumah tangga mandiri, akhir program",
    },
    "report.self_reliant_share_horizon": {
        "en": "Self-reliant households, end of run",
        "id": "Rumah tangga mandiri, akhir simulasi",
    },
    "report.sustainability": {
        "en": "Sustainability (end of run ÷ programme end)",
        "id": "Keberlanjutan (akhir simulasi ÷ akhir program)",
    },
    "report.dependency_horizon": {
        "en": "Dependency on patrons, end of run",
        "id": "Ketergantungan pada patron, akhir simulasi",
    },
    "report.awareness_horizon": {"en": "Critical awareness, end of run", "id": "Kesadaran kritis, akhir simulasi"},
    "report.groups_mature_horizon": {
        "en": "Mature groups (mandiri), end of run",
        "id": "Kelompok mandiri, akhir simulasi",
    },
    "report.groups_dissolved_horizon": {"en": "Groups dissolved, whole run", "id": "Kelompok bubar, selama simulasi"},
    "report.patron_rent_mean": {
        "en": "Patron rent per household per month, mean over the run",
        "id": "Pungutan patron per rumah tangga per bulan, rata-rata selama simulasi",
    },
    "report.wealth_gini_horizon": {
        "en": "Wealth inequality (Gini), end of run",
        "id": "Ketimpangan kekayaan (Gini), akhir simulasi",
    },
    "report.facilitator_months_total": {"en": "Facilitator-months spent", "id": "Bulan kerja pendamping yang terpakai"},
    "report.facilitator_months_per_self_reliant": {
        "en": "Facilitator-months per self-reliant household",
        "id": "Bulan kerja pendamping per rumah tangga mandiri",
    },
    "report.months_to_half_gain": {
        "en": "Months to half the final gain",
        "id": "Bulan sampai separuh kenaikan akhir tercapai",
    },
    "report.strategy": {"en": "Strategy", "id": "Strategi"},
    "report.key_note": {
        "en": "Grey: the 95% confidence interval (CI), the range in which the average of many more runs would lie, with 95% confidence. Self-reliant: a household whose self-reliance index (material security, skills and its group's management, discounted by dependency on a patron) reaches the threshold.",
        "id": "Angka abu-abu: rentang 95% (selang kepercayaan), yaitu rentang tempat rata-rata dari simulasi yang jauh lebih banyak akan berada, dengan keyakinan 95%. Mandiri: rumah tangga yang indeks kemandiriannya (ketahanan ekonomi, keterampilan, dan kemampuan kelola kelompoknya, dikurangi ketergantungan pada patron) mencapai ambang batas.",
    },
    "report.no_facilitators_short": {"en": "no facilitators", "id": "tanpa pendamping"},
    "report.n_of": {"en": "n = {n} of {total}", "id": "n = {n} dari {total}"},
    "report.figures": {"en": "Figures", "id": "Grafik"},
    "report.fig_over_time": {"en": "Month by month", "id": "Dari bulan ke bulan"},
    "report.fig_outcome": {"en": "Final outcome and cost", "id": "Hasil akhir dan biaya"},
    "report.fig_groups": {"en": "Life of the self-help groups", "id": "Perjalanan kelompok swadaya (KSM)"},
    "report.fig_distribution": {
        "en": "Self-reliant households at the end of each run",
        "id": "Rumah tangga mandiri pada akhir setiap simulasi",
    },
    "report.fig_cost_lasting": {"en": "Cost against lasting gain", "id": "Biaya dibanding hasil yang bertahan"},
    "report.caption_over_time": {
        "en": "Line: mean over replicates. Shaded band: the middle half of the replicates lie inside it. Dashed line: programme end; grey area: phased exit of the facilitators.",
        "id": "Garis: rata-rata antarulangan. Pita berarsir: separuh ulangan yang di tengah berada di dalamnya. Garis putus-putus: akhir program; area abu-abu: masa pendamping keluar secara bertahap.",
    },
    "report.caption_distribution": {
        "en": "One dot per replicate; the box holds the middle half of the replicates, the line inside it is the median.",
        "id": "Satu titik untuk setiap ulangan; kotak memuat separuh ulangan yang di tengah, garis di dalamnya adalah median.",
    },
    "report.caption_cost_lasting": {
        "en": "One point per strategy: the mean with its 95% confidence intervals. Further left is cheaper, higher lasts better. A strategy without facilitators sits at zero cost.",
        "id": "Satu titik untuk setiap strategi: rata-rata dengan rentang 95%. Makin ke kiri makin hemat, makin ke atas makin bertahan. Strategi tanpa pendamping berada di biaya nol.",
    },
    "report.exit_taper": {"en": "Phased exit", "id": "Keluar bertahap"},
    "report.details": {"en": "All measures", "id": "Semua ukuran"},
    "report.details_note": {
        "en": "Mean over replicates with its 95% confidence interval. Patron rent is the mean over all months of the run, in months of subsistence per household per month; the other end-of-run measures are read at the last month.",
        "id": "Rata-rata antarulangan dengan rentang 95%. Pungutan patron adalah rata-rata seluruh bulan simulasi, dalam bulan kebutuhan hidup per rumah tangga per bulan; ukuran lain dibaca pada bulan terakhir simulasi.",
    },
    "report.measure": {"en": "Measure", "id": "Ukuran"},
    "report.pairs": {"en": "Every pair of strategies", "id": "Perbandingan setiap pasangan strategi"},
    "report.pairs_note": {
        "en": "Difference: first strategy minus second, with its 95% confidence interval; it is a clear difference when the interval excludes zero. P(first higher): how often a replicate of the first strategy scored higher than one of the second, over all pairs of replicates (ties count half).",
        "id": "Selisih: strategi pertama dikurangi strategi kedua, dengan rentang 95%; selisihnya jelas bila rentang itu tidak memuat nol. P(pertama lebih tinggi): seberapa sering satu ulangan strategi pertama lebih tinggi daripada satu ulangan strategi kedua, dihitung atas semua pasangan ulangan (nilai seri dihitung setengah).",
    },
    "report.pair": {"en": "Pair", "id": "Pasangan"},
    "report.difference": {"en": "Difference", "id": "Selisih"},
    "report.ci95": {"en": "95% CI", "id": "Rentang 95%"},
    "report.p_higher": {"en": "P(first higher)", "id": "P(pertama lebih tinggi)"},
    "report.verdict": {"en": "Verdict", "id": "Kesimpulan"},
    "report.vs": {"en": "{a} vs {b}", "id": "{a} vs {b}"},
    "report.more_sections": {"en": "More analyses", "id": "Analisis lainnya"},
    "report.method": {"en": "Method", "id": "Metode"},
    "report.scenarios": {"en": "Scenarios", "id": "Skenario"},
    "report.scenario": {"en": "Scenario", "id": "Skenario"},
    "report.file": {"en": "File", "id": "Berkas"},
    "report.replicates": {"en": "Replicates", "id": "Ulangan"},
    "report.differing": {
        "en": "Parameters that differ between the strategies",
        "id": "Pengaturan yang berbeda antarstrategi",
    },
    "report.no_differing": {
        "en": "The scenarios share every parameter value.",
        "id": "Semua skenario memakai nilai parameter yang sama.",
    },
    "report.runs": {"en": "Runs", "id": "Simulasi"},
    "report.failed_runs": {"en": "Failed runs", "id": "Simulasi gagal"},
    "report.root_seed": {"en": "Root seed", "id": "Benih acak induk"},
    "report.seeds": {"en": "Seeds", "id": "Benih acak"},
    "report.seeds_text": {
        "en": "each run's seed comes from numpy.random.SeedSequence(root seed), keyed by scenario, parameter point and replicate, so any run can be repeated on its own",
        "id": "benih tiap simulasi diturunkan dari numpy.random.SeedSequence(benih induk) menurut skenario, titik parameter dan ulangan, sehingga setiap simulasi dapat diulang tersendiri",
    },
    "report.horizon": {"en": "Months per run", "id": "Bulan per simulasi"},
    "report.overrides": {"en": "Settings applied to every run", "id": "Pengaturan untuk semua simulasi"},
    "report.versions": {"en": "Versions", "id": "Versi"},
    "report.commit": {"en": "Git commit", "id": "Commit git"},
    "report.dirty": {"en": "with uncommitted changes", "id": "dengan perubahan yang belum di-commit"},
    "report.statistics_heading": {"en": "Statistics", "id": "Statistik"},
    "report.statistics": {
        "en": 'Means over replicates with {confidence}% confidence intervals from the bootstrap (scipy.stats.bootstrap, BCa, {resamples} resamples, seeded from the root seed); a difference between two strategies is bootstrapped from their two independent sets of replicates. A difference is called clear when its interval excludes zero; otherwise the report says "no clear difference". A run in which a measure is undefined (e.g. sustainability when no household was self-reliant at programme end) is left out of that measure, and the tables give n.',
        "id": 'Rata-rata antarulangan dengan selang kepercayaan {confidence}% dari bootstrap (scipy.stats.bootstrap, BCa, {resamples} pengambilan ulang, benihnya dari benih induk); selisih dua strategi di-bootstrap dari dua kumpulan ulangan yang saling bebas. Perbedaan disebut jelas bila selangnya tidak memuat nol; jika memuat nol, laporan menyebut "tidak ada perbedaan yang jelas". Simulasi yang ukurannya tidak terdefinisi (misalnya keberlanjutan bila tak ada rumah tangga mandiri di akhir program) tidak diikutkan untuk ukuran itu, dan tabel mencantumkan n.',
    },
    "report.seeds_text_paired": {
        "en": "paired: each run's seed comes from numpy.random.SeedSequence(root seed), keyed by parameter point and replicate only, so replicate r of every strategy runs on the same village (the village is drawn before anything a strategy does); any run can be repeated on its own",
        "id": "berpasangan: benih tiap simulasi diturunkan dari numpy.random.SeedSequence(benih induk) menurut titik parameter dan ulangan saja, sehingga ulangan ke-r setiap strategi berjalan pada desa yang sama (desa dibangkitkan sebelum apa pun yang dilakukan strategi); setiap simulasi dapat diulang tersendiri",
    },
    "report.statistics_paired": {
        "en": 'Means over replicates with {confidence}% confidence intervals from the bootstrap (scipy.stats.bootstrap, BCa, {resamples} resamples, seeded from the root seed). Replicate r of every strategy ran on the same village with the same seed (paired replicates), so a difference between two strategies is the mean of their replicate-by-replicate differences, bootstrapped over replicates; this takes out the variation between villages that both strategies share. A difference is called clear when its interval excludes zero; otherwise the report says "no clear difference". A run in which a measure is undefined (e.g. sustainability when no household was self-reliant at programme end) is left out of that measure, and its replicate out of every comparison on that measure; the tables give n.',
        "id": 'Rata-rata antarulangan dengan selang kepercayaan {confidence}% dari bootstrap (scipy.stats.bootstrap, BCa, {resamples} pengambilan ulang, benihnya dari benih induk). Ulangan ke-r setiap strategi dijalankan pada desa yang sama dengan benih acak yang sama (ulangan berpasangan), sehingga selisih dua strategi adalah rata-rata selisih per ulangan, yang di-bootstrap antarulangan; cara ini menghilangkan keragaman antardesa yang dialami kedua strategi. Perbedaan disebut jelas bila selangnya tidak memuat nol; jika memuat nol, laporan menyebut "tidak ada perbedaan yang jelas". Simulasi yang ukurannya tidak terdefinisi (misalnya keberlanjutan bila tak ada rumah tangga mandiri di akhir program) tidak diikutkan untuk ukuran itu, dan ulangannya tidak diikutkan dalam setiap perbandingan ukuran itu; tabel mencantumkan n.',
    },
    "report.statistics_mixed": {
        "en": "Strategies at different parameter points do not share seeds; their differences are bootstrapped from two independent sets of replicates, and P(first higher) is taken over all pairs of replicates.",
        "id": "Strategi pada titik parameter yang berbeda tidak berbagi benih acak; selisihnya di-bootstrap dari dua kumpulan ulangan yang saling bebas, dan P(pertama lebih tinggi) dihitung atas semua pasangan ulangan.",
    },
    "report.pairs_note_paired": {
        "en": "Difference: first strategy minus second on the same village, averaged over replicates, with its 95% confidence interval; it is a clear difference when the interval excludes zero. P(first higher): the share of replicates in which the first strategy scored higher than the second on the same village (ties count half).",
        "id": "Selisih: strategi pertama dikurangi strategi kedua pada desa yang sama, dirata-ratakan atas ulangan, dengan rentang 95%; selisihnya jelas bila rentang itu tidak memuat nol. P(pertama lebih tinggi): persentase ulangan yang strategi pertamanya lebih tinggi daripada strategi kedua pada desa yang sama (nilai seri dihitung setengah).",
    },
    "report.definitions": {
        "en": "Sustainability is the share self-reliant at the end of the run divided by the share at programme end (above 1: it kept growing after the programme). Cost is the facilitator-months spent over the whole run divided by the households self-reliant at the end of the run; the cost in rupiah adds training modules, stimulants, setting up enterprise networks and internal facilitators' honoraria, priced with the cost table (berdaya params, group costs). Months to half the final gain measures speed.",
        "id": "Keberlanjutan adalah persentase mandiri di akhir simulasi dibagi persentase di akhir program (di atas 1: terus naik setelah program). Biaya adalah bulan kerja pendamping selama simulasi dibagi jumlah rumah tangga mandiri di akhir simulasi; biaya dalam rupiah menambahkan modul pelatihan, stimulan, pendirian jaringan usaha, dan honor pendamping dari dalam, dengan harga dari tabel biaya (berdaya params, kelompok costs). Bulan sampai separuh kenaikan akhir mengukur kecepatan.",
    },
    # comparison report, issue 15: what each strategy is, where differences come from, plausible worlds, costs
    "report.about": {"en": "What each strategy is", "id": "Apa isi setiap strategi"},
    "report.about_baseline": {
        "en": "the village as it is, with its patrons, shocks and credit and no organising programme; the yardstick for the others.",
        "id": "desa apa adanya, dengan patron, guncangan, dan utangnya, tanpa program pengorganisasian; menjadi pembanding bagi strategi lain.",
    },
    "report.about_area_based": {
        "en": "outside facilitators each take a hamlet and organise self-help groups (KSM) among its households; the NGO runs the project, writes no training modules and sets up no enterprise networks.",
        "id": "setiap pendamping dari luar memegang satu dusun dan membentuk KSM bersama warganya; proyek dikelola LSM, tanpa modul pelatihan dan tanpa jaringan usaha.",
    },
    "report.about_enterprise_based": {
        "en": "outside facilitators organise members of four enterprise networks (organic market, community radio, ecotourism, paralegal) across the village; the community runs the project and the NGO writes training modules as it goes.",
        "id": "pendamping dari luar mengorganisir anggota empat jaringan usaha (pasar organik, radio komunitas, ekowisata, paralegal) di seluruh desa; proyek dikelola masyarakat dan LSM menyusun modul pelatihan sambil berjalan.",
    },
    "report.about_hybrid": {
        "en": "half the outside facilitators take a hamlet, half work the four enterprise networks; as in enterprise-based, the community runs the project and the NGO writes training modules.",
        "id": "separuh pendamping dari luar memegang dusun, separuh lagi menggarap empat jaringan usaha; seperti strategi berbasis wirausaha, proyek dikelola masyarakat dan LSM menyusun modul pelatihan.",
    },
    "report.about_other": {
        "en": "{facilitators} outside facilitators ({mode}); {management} runs the project; {modules}; networks: {networks}.",
        "id": "{facilitators} pendamping dari luar ({mode}); proyek dikelola {management}; {modules}; jaringan usaha: {networks}.",
    },
    "report.about_modules_yes": {"en": "the NGO writes training modules", "id": "LSM menyusun modul pelatihan"},
    "report.about_modules_no": {"en": "no training modules", "id": "tanpa modul pelatihan"},
    "report.about_none": {"en": "none", "id": "tidak ada"},
    "report.point": {"en": "point", "id": "poin"},
    "report.points_note": {
        "en": "Points: percentage points, the gap between two percentages (11% against 8% is 3 points).",
        "id": "Poin: selisih dua persentase (11% dibanding 8% berarti selisih 3 poin).",
    },
    "report.rupiah": {"en": "Rp {value} million", "id": "Rp{value} juta"},
    "report.k_source": {"en": "Where from", "id": "Dari mana"},
    "report.decomposition": {"en": "Where the difference comes from", "id": "Dari mana selisih itu berasal"},
    "report.decomposition_note": {
        "en": 'Each strategy bundles several choices. To see which of them make the difference, every combination of the choices in which two strategies differ was run on the same villages and in the same plausible worlds ({replicates} runs each). A choice\'s share is its effect averaged over every order in which the choices could be added (Shapley value); the shares add up to the whole difference. In square brackets: the 95% range. Enterprise-based and hybrid programmes organise through their networks, so the networks cannot be taken from them: for those, "without networks" keeps the networks as places to organise and switches off what membership brings (premiums, radio, ecotourism income, paralegal protection).',
        "id": 'Setiap strategi menggabungkan beberapa pilihan. Untuk melihat pilihan mana yang membuat selisih, setiap kombinasi pilihan yang membedakan dua strategi dijalankan pada desa yang sama dan dengan set asumsi yang sama ({replicates} simulasi per kombinasi). Bagian sebuah pilihan adalah pengaruhnya dirata-ratakan atas semua urutan penambahan pilihan (nilai Shapley); jumlah semua bagian sama dengan selisih seluruhnya. Dalam kurung siku: rentang 95%. Strategi berbasis wirausaha dan gabungan bekerja melalui jaringan usaha, jadi jaringannya tidak bisa dihilangkan: untuk keduanya, "tanpa jaringan" berarti jaringan tetap ada sebagai wadah pengorganisasian, tetapi manfaat keanggotaannya (harga lebih tinggi, radio, pendapatan ekowisata, perlindungan paralegal) dimatikan.',
    },
    "report.decomposition_lead": {
        "en": "Over the {replicates} paired runs of the factorial, {strategy} is {difference} ahead of {against} ({measure}): {parts}.",
        "id": "Dalam {replicates} simulasi berpasangan dari kombinasi ini, {strategy} unggul {difference} atas {against} ({measure}): {parts}.",
    },
    "report.decomposition_part": {
        "en": "about {contribution} comes from {factor}",
        "id": "sekitar {contribution} berasal dari {factor}",
    },
    "report.decomposition_part_unclear": {
        "en": "{factor} adds no clear share ({contribution})",
        "id": "sumbangan {factor} tidak jelas ({contribution})",
    },
    "report.decomposition_interaction": {
        "en": "{a} and {b} interact: together they add {contribution} beyond their separate effects.",
        "id": "{a} dan {b} saling berpengaruh: bersama-sama keduanya menambah {contribution} di luar pengaruh masing-masing.",
    },
    "report.decomposition_none": {
        "en": "No decomposition was run (fewer than two programme strategies, --no-decompose or --unpaired).",
        "id": "Penguraian tidak dijalankan (kurang dari dua strategi program, --no-decompose, atau --unpaired).",
    },
    "report.decomposition_sum": {
        "en": "Of {strategy}'s lead over {against}, the largest share comes from {factor} ({contribution}).",
        "id": "Keunggulan {strategy} atas {against} terutama berasal dari {factor} ({contribution}).",
    },
    "report.decomposition_sum_unclear": {
        "en": "{strategy}'s lead over {against} comes from no choice clearly.",
        "id": "Keunggulan {strategy} atas {against} tidak jelas berasal dari pilihan mana.",
    },
    "report.fig_decomposition": {"en": "Where the difference comes from", "id": "Asal selisih"},
    "report.caption_decomposition": {
        "en": "Blue bar: a choice's share of the difference in {measure}, in points, with its 95% range; the blue shares add up to the difference. Grey bar: what two choices add together beyond their separate effects (already inside the shares).",
        "id": "Batang biru: bagian sebuah pilihan dalam selisih {measure}, dalam poin, dengan rentang 95%; jumlah batang biru sama dengan selisihnya. Batang abu-abu: tambahan dari dua pilihan yang berjalan bersama, di luar pengaruh masing-masing (sudah termasuk dalam bagian-bagian itu).",
    },
    "report.contribution_axis": {"en": "percentage points", "id": "poin persentase"},
    "factor.mode": {
        "en": "whom the facilitators organise (hamlets, networks or both)",
        "id": "siapa yang diorganisir pendamping (dusun, jaringan, atau keduanya)",
    },
    "factor.management": {"en": "the community running the project", "id": "proyek dikelola masyarakat"},
    "factor.knowledge_manager": {"en": "the NGO writing training modules", "id": "LSM menyusun modul pelatihan"},
    "factor.networks": {"en": "the enterprise networks and their bonuses", "id": "jaringan usaha beserta manfaatnya"},
    "factor.internal_facilitators": {"en": "members becoming facilitators", "id": "anggota menjadi pendamping"},
    "factor_short.mode": {"en": "whom they organise", "id": "siapa yang diorganisir"},
    "factor_short.management": {"en": "community runs project", "id": "dikelola masyarakat"},
    "factor_short.knowledge_manager": {"en": "training modules", "id": "modul pelatihan"},
    "factor_short.networks": {"en": "network bonuses", "id": "manfaat jaringan usaha"},
    "factor_short.internal_facilitators": {"en": "members facilitate", "id": "anggota jadi pendamping"},
    "factor_short.other": {"en": "other settings", "id": "pengaturan lain"},
    "factor.other": {"en": "the other settings that differ", "id": "pengaturan lain yang berbeda"},
    "report.sure_worlds": {
        "en": "Each run is also a different plausible world: the {k} parameters that nobody has measured were drawn from the range a careful modeller could defend, the same draw for every strategy in a replicate. So the ranges below hold both chance and those assumptions.",
        "id": "Setiap simulasi juga memakai satu set asumsi yang berbeda: {k} parameter yang belum pernah diukur diambil acak dari rentang yang masih wajar, dengan nilai yang sama untuk semua strategi dalam satu ulangan. Jadi rentang di bawah ini mencakup faktor kebetulan sekaligus ketidakpastian asumsi tersebut.",
    },
    "report.sure_posterior": {
        "en": "The {k} calibrated parameters were drawn too, from {samples} accepted calibration samples.",
        "id": "{k} parameter hasil kalibrasi juga diambil secara acak, dari {samples} sampel kalibrasi yang diterima.",
    },
    "report.sure_fixed": {
        "en": "Every parameter was held at one value (no plausible worlds drawn, as with --fixed-parameters): the ranges measure chance from run to run only, not what the unmeasured assumptions could change.",
        "id": "Semua parameter ditahan pada satu nilai (tanpa set asumsi acak, seperti dengan --fixed-parameters): rentang hanya mengukur faktor kebetulan antarsimulasi, bukan pengaruh asumsi yang belum diukur.",
    },
    "report.sure_holds": {
        "en": "{a} came out ahead of {b} in {share} of the {n} worlds.",
        "id": "{a} unggul atas {b} di {share} dari {n} set asumsi.",
    },
    "report.sure_hinges": {
        "en": "Whether {a} stays ahead of {b} hinges on {names}.",
        "id": "Keunggulan {a} atas {b} bergantung pada {names}.",
    },
    "report.sure_hinge": {
        "en": "{name} (partial rank correlation {rho}, p = {p})",
        "id": "{name} (korelasi peringkat parsial {rho}, p = {p})",
    },
    "report.sure_hinge_rank": {
        "en": "{name} (rank correlation {rho}, p = {p}; too few worlds to control for the other assumptions)",
        "id": "{name} (korelasi peringkat {rho}, p = {p}; set asumsi terlalu sedikit untuk mengendalikan asumsi lain)",
    },
    "report.sure_no_hinge": {
        "en": "No single assumption clearly moves {a}'s lead over {b} (partial rank correlations over {n} worlds, none with p below {alpha}).",
        "id": "Tidak ada satu asumsi pun yang jelas menggeser keunggulan {a} atas {b} (korelasi peringkat parsial atas {n} set asumsi, tidak ada yang p-nya di bawah {alpha}).",
    },
    "report.sure_too_few": {
        "en": "{n} worlds are too few to weigh each of the {k} assumptions against all the others (partial rank correlation); that needs {need} runs of each strategy or more. Below, an assumption is named only where its plain rank correlation with the lead is clear even after allowing for {k} tests.",
        "id": "{n} set asumsi terlalu sedikit untuk menimbang setiap asumsi (dari {k}) terhadap semua asumsi lain (korelasi peringkat parsial); untuk itu dibutuhkan {need} simulasi per strategi atau lebih. Di bawah ini, sebuah asumsi hanya disebut bila korelasi peringkat biasanya dengan keunggulan itu tetap jelas setelah memperhitungkan {k} kali pengujian.",
    },
    "report.cost_rp": {
        "en": "In money: {leader} spent {value} per self-reliant household (95% range {ci}); {others}.",
        "id": "Dalam rupiah: {leader} menghabiskan {value} per rumah tangga mandiri (rentang 95% {ci}); {others}.",
    },
    "report.cost_rp_short": {
        "en": "In money, {leader} was cheapest: {value} per self-reliant household.",
        "id": "Dalam rupiah, {leader} paling murah: {value} per rumah tangga mandiri.",
    },
    "report.sure_sum_worlds": {
        "en": "Each run drew the {k} unmeasured assumptions anew, so the ranges include them.",
        "id": "Setiap simulasi mengambil ulang {k} asumsi yang belum diukur, jadi rentangnya sudah memperhitungkan asumsi itu.",
    },
    "report.cost_rp_alone": {
        "en": "In money: {leader} spent {value} per self-reliant household (95% range {ci}).",
        "id": "Dalam rupiah: {leader} menghabiskan {value} per rumah tangga mandiri (rentang 95% {ci}).",
    },
    "report.cost_rp_other": {"en": "{name} {value}", "id": "{name} {value}"},
    "report.cost_curve": {"en": "How many facilitators?", "id": "Berapa pendamping yang dibutuhkan?"},
    "report.cost_curve_note": {
        "en": "Every programme strategy was run with {counts} outside facilitators ({replicates} runs each, the same plausible worlds). Line: mean; band: 95% range.",
        "id": "Setiap strategi program dijalankan dengan {counts} pendamping dari luar ({replicates} simulasi untuk setiap jumlah, dengan set asumsi yang sama). Garis: rata-rata; pita: rentang 95%.",
    },
    "report.n_facilitators_axis": {"en": "outside facilitators fielded", "id": "jumlah pendamping dari luar"},
    "report.share_axis": {"en": "% of households", "id": "% rumah tangga"},
    "report.index_axis": {"en": "index: 0 = none, 1 = full", "id": "indeks: 0 = tidak ada, 1 = penuh"},
    "report.groups_axis": {"en": "number of groups", "id": "jumlah kelompok"},
    "report.level_axis": {"en": "months of subsistence per household", "id": "bulan kebutuhan hidup per rumah tangga"},
    "report.consumption_axis": {
        "en": "times subsistence (1 = just enough)",
        "id": "kali kebutuhan hidup (1 = pas cukup)",
    },
    "report.rupiah_axis": {"en": "million rupiah", "id": "juta rupiah"},
    "report.yes": {"en": "yes", "id": "ya"},
    "report.no": {"en": "no", "id": "tidak"},
    "report.mode.baseline": {"en": "none (no programme)", "id": "tidak ada (tanpa program)"},
    "report.mode.area_based": {"en": "each takes a hamlet", "id": "masing-masing memegang satu dusun"},
    "report.mode.enterprise_based": {"en": "they work the enterprise networks", "id": "menggarap jaringan usaha"},
    "report.mode.hybrid": {"en": "half hamlets, half networks", "id": "separuh dusun, separuh jaringan"},
    "report.consumption_horizon": {
        "en": "Consumption a month, end of run (1 = subsistence)",
        "id": "Konsumsi per bulan, akhir simulasi (1 = cukup untuk kebutuhan hidup)",
    },
    "report.consumption_poorest40_horizon": {
        "en": "Consumption of the poorest 40%, end of run",
        "id": "Konsumsi 40% termiskin, akhir simulasi",
    },
    "report.poverty_share_horizon": {
        "en": "Households below the poverty line, end of run",
        "id": "Rumah tangga di bawah garis kemiskinan, akhir simulasi",
    },
    "report.patron_debt_horizon": {
        "en": "Debt to patrons per household, end of run (months of subsistence)",
        "id": "Utang kepada patron per rumah tangga, akhir simulasi (bulan kebutuhan hidup)",
    },
    "report.programme_cost_rp": {"en": "Programme cost", "id": "Biaya program"},
    "report.cost_per_self_reliant_rp": {
        "en": "Cost per self-reliant household",
        "id": "Biaya per rumah tangga mandiri",
    },
    "report.method_switch": {"en": "Setting", "id": "Pengaturan"},
    "method.strategy": {
        "en": "Whom the outside facilitators organise",
        "id": "Siapa yang diorganisir pendamping dari luar",
    },
    "method.n_facilitators": {"en": "Outside facilitators", "id": "Jumlah pendamping dari luar"},
    "method.project_management": {"en": "Who runs the project", "id": "Pengelola proyek"},
    "method.knowledge_manager": {"en": "NGO writes training modules", "id": "LSM menyusun modul pelatihan"},
    "method.networks": {"en": "Enterprise networks", "id": "Jaringan usaha"},
    "method.exit_mode": {"en": "How the facilitators leave", "id": "Cara pendamping keluar"},
    "method.patron_engagement": {
        "en": "Facilitators engage patrons and leaders",
        "id": "Pendamping melibatkan patron dan tokoh desa",
    },
    "method.internal_facilitators": {"en": "Members become facilitators", "id": "Anggota menjadi pendamping"},
    "method.ngo_learning_factor": {
        "en": "How much groups learn when the NGO runs the project",
        "id": "Seberapa banyak kelompok belajar bila proyek dikelola LSM",
    },
    "method.radio_gain": {
        "en": "Awareness the community radio raises",
        "id": "Kesadaran yang ditumbuhkan radio komunitas",
    },
    "method.organic_premium": {"en": "Price premium of the organic market", "id": "Tambahan harga di pasar organik"},
    "method.module_effect": {"en": "How much training modules help", "id": "Seberapa besar modul pelatihan membantu"},
    "method.animation_gain": {
        "en": "Awareness one facilitator visit raises",
        "id": "Kesadaran yang tumbuh dari satu kunjungan pendamping",
    },
    "method.training_gain": {"en": "Skills one training raises", "id": "Keterampilan yang tumbuh dari satu pelatihan"},
    "method.consult_gain": {
        "en": "Management a consulted group gains",
        "id": "Kemampuan kelola yang didapat kelompok yang didampingi",
    },
    "method.paralegal_protection": {"en": "Protection paralegals give", "id": "Perlindungan dari paralegal"},
    "method.ecotourism_income": {"en": "Income from ecotourism", "id": "Pendapatan dari ekowisata"},
    "method.dependency_release": {
        "en": "How fast dependency on patrons eases",
        "id": "Seberapa cepat ketergantungan pada patron berkurang",
    },
    "method.peer_rate": {"en": "Pull of neighbours on awareness", "id": "Pengaruh tetangga pada kesadaran"},
    "method.trust_gain": {
        "en": "Trust one facilitator visit builds",
        "id": "Kepercayaan yang tumbuh dari satu kunjungan pendamping",
    },
    "report.monthly_consumption": {
        "en": "Consumption a month (1 = subsistence)",
        "id": "Konsumsi per bulan (1 = cukup untuk kebutuhan hidup)",
    },
    "report.monthly_poverty_share": {
        "en": "Share of households below the poverty line",
        "id": "Persentase rumah tangga di bawah garis kemiskinan",
    },
    "report.monthly_coverage": {
        "en": "Households an outside facilitator met in the last {months} months",
        "id": "Rumah tangga yang ditemui pendamping dari luar dalam {months} bulan terakhir",
    },
    "report.monthly_patron_debt": {"en": "Debt to patrons per household", "id": "Utang kepada patron per rumah tangga"},
    "rob.section": {
        "en": "Robustness: in which villages each strategy works",
        "id": "Ketahanan: di desa mana setiap strategi berhasil",
    },
    "rob.settings": {
        "en": "{villages} villages drawn by a Latin hypercube over {conditions} (each over its range in the parameter schema); every strategy ran in every village {replicates} times ({runs} runs). A strategy beats baseline in a village when its mean self-reliant share at the horizon exceeds the baseline's by more than {margin:g}; otherwise it fails there. Regret is the gap to the best strategy in the village.",
        "id": "{villages} desa diambil dengan hiperkubus Latin atas {conditions} (masing-masing dalam rentangnya di skema parameter); setiap strategi dijalankan di setiap desa {replicates} kali ({runs} simulasi). Sebuah strategi mengungguli pembanding di suatu desa bila rata-rata proporsi mandiri di akhir simulasi melebihi pembanding lebih dari {margin:g}; jika tidak, strategi itu gagal di sana. Penyesalan (regret) adalah selisih dengan strategi terbaik di desa itu.",
    },
    "rob.share_beats": {
        "en": "share of villages where it beats baseline by more than {margin:g}",
        "id": "proporsi desa tempat strategi mengungguli pembanding lebih dari {margin:g}",
    },
    "rob.regret_axis": {
        "en": "regret: gap to the best strategy in the village (box: quartiles, whiskers: 10th-90th percentile)",
        "id": "penyesalan: selisih dengan strategi terbaik di desa (kotak: kuartil, garis: persentil 10-90)",
    },
    "rob.beats": {"en": "beats baseline", "id": "mengungguli pembanding"},
    "rob.fails": {"en": "fails", "id": "gagal"},
    "rob.box_stats": {
        "en": "failure box: coverage {coverage:.2f}, density {density:.2f}",
        "id": "kotak kegagalan: cakupan {coverage:.2f}, kepadatan {density:.2f}",
    },
    "rob.fails_definition": {
        "en": "Fails = does not beat baseline by more than {margin:g} in the share of households self-reliant at the horizon.",
        "id": "Gagal = tidak mengungguli pembanding lebih dari {margin:g} dalam proporsi rumah tangga mandiri di akhir simulasi.",
    },
    "rob.rule_line": {
        "en": "{strategy} fails when {rule}: coverage {coverage:.2f} (share of its failing villages inside), density {density:.2f} (share of villages inside where it fails; {base_rate:.2f} over all villages), {inside} villages inside.",
        "id": "{strategy} gagal bila {rule}: cakupan {coverage:.2f} (bagian desa gagalnya yang ada di dalam kotak), kepadatan {density:.2f} (bagian desa di dalam kotak tempat strategi gagal; {base_rate:.2f} atas semua desa), {inside} desa di dalam kotak.",
    },
    "rob.no_rule_too_few": {
        "en": "fails in {fails} of {villages} villages: too few for a rule",
        "id": "gagal di {fails} dari {villages} desa: terlalu sedikit untuk sebuah aturan",
    },
    "rob.no_rule_everywhere": {
        "en": "fails in {fails} of {villages} villages: nearly everywhere, no rule needed",
        "id": "gagal di {fails} dari {villages} desa: hampir di mana-mana, tidak perlu aturan",
    },
    "rob.no_rule_not_concentrated": {
        "en": "fails in {fails} of {villages} villages, with no box of conditions where failures are significantly more common",
        "id": "gagal di {fails} dari {villages} desa, tanpa kotak kondisi tempat kegagalan jauh lebih sering",
    },
    "rob.col_strategy": {"en": "strategy", "id": "strategi"},
    "rob.col_villages": {"en": "villages", "id": "desa"},
    "rob.col_mean_outcome": {"en": "mean share self-reliant", "id": "rata-rata proporsi mandiri"},
    "rob.col_share_beats_baseline": {"en": "share beats baseline", "id": "proporsi mengungguli pembanding"},
    "rob.col_share_best": {"en": "share best", "id": "proporsi terbaik"},
    "rob.col_regret_median": {"en": "regret median", "id": "median penyesalan"},
    "rob.col_regret_p90": {"en": "regret p90", "id": "penyesalan p90"},
    "sens.col_outcome": {"en": "outcome", "id": "hasil"},
    "sens.col_parameter": {"en": "parameter", "id": "parameter"},
    "rob.rules_title": {
        "en": "Where each strategy fails (PRIM scenario discovery)",
        "id": "Di mana setiap strategi gagal (penemuan skenario PRIM)",
    },
    # comparison page (berdaya/viz/compare.py, at /compare)
    "compare.link": {"en": "Compare strategies for your village", "id": "Bandingkan strategi untuk desa Anda"},
    "compare.back": {"en": "Watch a village (visualizer)", "id": "Lihat desa bergerak (visualisasi)"},
    "compare.title": {
        "en": "Berdaya: which strategy for your village?",
        "id": "Berdaya: strategi mana untuk desa Anda?",
    },
    "compare.intro": {
        "en": "Upload your village survey, choose the organising strategies to compare and press one button. The computer runs each strategy many times on your village and writes a report: which strategy makes the most households self-reliant, at what cost, how lasting and how sure.",
        "id": "Unggah survei desa Anda, pilih strategi pengorganisasian yang ingin dibandingkan, lalu tekan satu tombol. Komputer menjalankan setiap strategi berkali-kali pada desa Anda dan menulis laporan: strategi mana yang menghasilkan rumah tangga mandiri paling banyak, berapa biayanya, seberapa bertahan, dan seberapa yakin hasilnya.",
    },
    "compare.new": {"en": "New comparison", "id": "Perbandingan baru"},
    "compare.step_village": {"en": "1. Your village", "id": "1. Desa Anda"},
    "compare.use_survey": {"en": "Our village survey (two CSV files)", "id": "Survei desa kami (dua berkas CSV)"},
    "compare.use_typical": {
        "en": "A typical village (no survey): {households} households drawn at random",
        "id": "Desa umum (tanpa survei): {households} rumah tangga dibuat acak",
    },
    "compare.households_file": {
        "en": "Households file (households.csv): one row per household",
        "id": "Berkas rumah tangga (households.csv): satu baris per rumah tangga",
    },
    "compare.patrons_file": {
        "en": "Patrons file (patrons.csv): one row per patron",
        "id": "Berkas patron (patrons.csv): satu baris per patron",
    },
    "compare.choose_file": {"en": "Choose the file", "id": "Pilih berkas"},
    "compare.template": {
        "en": "Download the blank survey template (households.csv, patrons.csv and an explanation of every column)",
        "id": "Unduh templat survei (households.csv, patrons.csv, dan penjelasan setiap kolom)",
    },
    "compare.columns": {"en": "What each column means", "id": "Arti setiap kolom"},
    "compare.waiting_files": {
        "en": "Upload both files; nothing runs until the survey is checked and correct.",
        "id": "Unggah kedua berkas; tidak ada yang dijalankan sebelum survei diperiksa dan benar.",
    },
    "compare.waiting_patrons": {"en": "Now upload patrons.csv.", "id": "Sekarang unggah patrons.csv."},
    "compare.waiting_households": {"en": "Now upload households.csv.", "id": "Sekarang unggah households.csv."},
    "compare.survey_ok": {
        "en": "Survey checked: {households} households in {hamlets} hamlets ({names}), {patrons} patrons per hamlet.",
        "id": "Survei sudah diperiksa: {households} rumah tangga di {hamlets} dusun ({names}), {patrons} patron per dusun.",
    },
    "compare.survey_error": {
        "en": "The survey has a problem; fix it in the spreadsheet, save it as CSV and upload the file again:",
        "id": "Ada masalah pada survei; perbaiki di lembar kerja, simpan sebagai CSV, lalu unggah ulang berkasnya:",
    },
    "compare.where_file": {"en": "File {value}", "id": "Berkas {value}"},
    "compare.where_line": {"en": "line {value}", "id": "baris {value}"},
    "compare.where_column": {"en": "column {value}", "id": "kolom {value}"},
    "compare.detail": {"en": "What the model says:", "id": "Pesan dari model (dalam bahasa Inggris):"},
    "compare.why.range": {
        "en": "The value {value} in column {column} is outside what the model accepts. This column holds: {allowed}.",
        "id": "Nilai {value} di kolom {column} di luar batas yang diterima model. Isi kolom ini: {allowed}.",
    },
    "compare.why.number": {
        "en": "Column {column} holds “{value}”, which is not a number. Write a number only, without words or units. "
        "This column holds: {allowed}.",
        "id": "Kolom {column} berisi “{value}”, bukan angka. Tulis angkanya saja, tanpa kata atau satuan. "
        "Isi kolom ini: {allowed}.",
    },
    "compare.why.blank": {
        "en": "Column {column} is empty on this line, but it must be filled in. This column holds: {allowed}.",
        "id": "Kolom {column} kosong di baris ini, padahal wajib diisi. Isi kolom ini: {allowed}.",
    },
    "compare.why.missing_column": {
        "en": "The header (the first line of the file) has no column {column}, and the model needs it. Add the column "
        "with this name; it holds: {allowed}.",
        "id": "Baris judul (baris pertama berkas) tidak punya kolom {column}, padahal model membutuhkannya. Tambahkan "
        "kolom dengan nama itu; isinya: {allowed}.",
    },
    "compare.why.unknown_patron": {
        "en": "Patron “{value}” is not in patrons.csv. Every patron_id in households.csv must also be a row of "
        "patrons.csv; check the spelling or add the patron.",
        "id": "Patron “{value}” tidak ada di patrons.csv. Setiap patron_id di households.csv harus ada juga sebagai "
        "baris di patrons.csv; periksa ejaannya atau tambahkan patron itu.",
    },
    "compare.village_name": {
        "en": "Name of the village (for the list of comparisons)",
        "id": "Nama desa (untuk daftar perbandingan)",
    },
    "compare.step_strategies": {
        "en": "2. Strategies to compare (choose two or more)",
        "id": "2. Strategi yang dibandingkan (pilih dua atau lebih)",
    },
    "compare.variants": {
        "en": "Variants of area-based organising ({n}; {chosen} chosen)",
        "id": "Variasi strategi berbasis wilayah ({n}; {chosen} dipilih)",
    },
    "compare.step_settings": {"en": "3. Facilitators and runs", "id": "3. Pendamping dan jumlah simulasi"},
    "compare.facilitators": {
        "en": "Outside facilitators (pendamping) the NGO fields: {n}",
        "id": "Jumlah pendamping dari luar yang diterjunkan LSM: {n}",
    },
    "compare.facilitators_note": {
        "en": "Every strategy with a programme gets this many; the baseline has none.",
        "id": "Setiap strategi yang punya program mendapat sebanyak ini; pembanding tanpa program tidak punya pendamping.",
    },
    "compare.runs": {"en": "Runs per strategy", "id": "Jumlah simulasi per strategi"},
    "compare.runs_10": {"en": "10: a quick first look", "id": "10: gambaran cepat"},
    "compare.runs_30": {"en": "30: recommended", "id": "30: disarankan"},
    "compare.runs_100": {"en": "100: the surest answer, takes longest", "id": "100: paling yakin, paling lama"},
    "compare.runs_note": {
        "en": "Each run is the same village with different chance events (harvests, illness) and different assumptions; more runs give a surer answer.",
        "id": "Setiap simulasi memakai desa yang sama, tetapi dengan kejadian kebetulan (panen, sakit) dan asumsi yang berbeda; makin banyak simulasi, makin yakin jawabannya.",
    },
    "compare.decompose": {
        "en": "Also find out which of each strategy's choices make the difference (takes longer)",
        "id": "Cari juga pilihan mana dalam setiap strategi yang membuat perbedaan (lebih lama)",
    },
    "compare.estimate": {
        "en": "About {time} on this computer ({runs} runs).",
        "id": "Kira-kira {time} di komputer ini ({runs} simulasi).",
    },
    "compare.estimate_short": {
        "en": "Less than a minute on this computer ({runs} runs).",
        "id": "Kurang dari satu menit di komputer ini ({runs} simulasi).",
    },
    "compare.minutes": {"en": "{n} minutes", "id": "{n} menit"},
    "compare.under_minute": {"en": "less than a minute", "id": "kurang dari satu menit"},
    "compare.start": {"en": "Start the comparison", "id": "Mulai perbandingan"},
    "compare.need_two": {"en": "Choose at least two strategies.", "id": "Pilih paling sedikit dua strategi."},
    "compare.need_survey": {
        "en": "Upload a correct survey first, or choose a typical village.",
        "id": "Unggah survei yang benar dulu, atau pilih desa umum.",
    },
    "compare.earlier": {"en": "Earlier comparisons", "id": "Perbandingan sebelumnya"},
    "compare.none_yet": {"en": "No comparisons yet.", "id": "Belum ada perbandingan."},
    "compare.typical": {"en": "typical village", "id": "desa umum"},
    "compare.open": {"en": "Open", "id": "Buka"},
    "compare.state.running": {"en": "running", "id": "sedang berjalan"},
    "compare.state.finished": {"en": "finished", "id": "selesai"},
    "compare.state.interrupted": {"en": "interrupted", "id": "terputus"},
    "compare.state.failed": {"en": "stopped with an error", "id": "berhenti karena galat"},
    "compare.back_to_new": {"en": "← New comparison and the list", "id": "← Perbandingan baru dan daftar"},
    "compare.step.runs": {
        "en": "Step 1: running every strategy on the village",
        "id": "Langkah 1: menjalankan setiap strategi pada desa",
    },
    "compare.step.decomposition": {
        "en": "Step 2: finding which choices make the difference",
        "id": "Langkah 2: mencari pilihan yang membuat perbedaan",
    },
    "compare.step.report": {
        "en": "Last step: writing the report in both languages",
        "id": "Langkah terakhir: menulis laporan dalam dua bahasa",
    },
    "compare.done_runs": {"en": "{done} of {total} runs done", "id": "{done} dari {total} simulasi selesai"},
    "compare.keeps_running": {
        "en": "You can close this page: the comparison goes on on the computer that runs Berdaya. If that computer sleeps "
        "(a closed laptop lid), the comparison waits and carries on when it wakes; if it is switched off, open the "
        "comparison here later and continue it. Open this page again to see it.",
        "id": "Halaman ini boleh ditutup: perbandingan tetap berjalan di komputer yang menjalankan Berdaya. Kalau komputer "
        "itu tidur (misalnya layar laptop ditutup), perbandingan menunggu dan berlanjut begitu komputer menyala lagi; "
        "kalau komputer dimatikan, buka lagi perbandingan ini di sini dan lanjutkan. Buka halaman ini lagi untuk "
        "melihat hasilnya.",
    },
    "compare.interrupted": {
        "en": "This comparison stopped before it finished (for example, the computer was switched off). The runs already done are kept; continuing does only the rest.",
        "id": "Perbandingan ini berhenti sebelum selesai (misalnya komputer dimatikan). Simulasi yang sudah selesai tetap tersimpan; melanjutkan hanya mengerjakan sisanya.",
    },
    "compare.failed": {"en": "This comparison stopped with an error:", "id": "Perbandingan ini berhenti karena galat:"},
    "compare.resume": {"en": "Continue this comparison", "id": "Lanjutkan perbandingan ini"},
    "compare.finished": {"en": "Finished in {time}. The report:", "id": "Selesai dalam {time}. Laporannya:"},
    "compare.quick_note": {
        "en": "This is a quick first look ({n} runs per strategy): where the report says a difference is not clear, "
        "more runs may settle it. Before deciding, run the comparison again with {recommended} runs.",
        "id": "Ini gambaran cepat ({n} simulasi per strategi): selisih yang menurut laporan belum jelas mungkin menjadi "
        "jelas dengan lebih banyak simulasi. Sebelum memutuskan, jalankan lagi perbandingan ini dengan {recommended} "
        "simulasi.",
    },
    "compare.failed_runs": {
        "en": "{n} of {total} runs failed and are left out of the report.",
        "id": "{n} dari {total} simulasi gagal dan tidak dimasukkan ke laporan.",
    },
    "compare.download": {
        "en": "Download this report (one HTML file to e-mail or print)",
        "id": "Unduh laporan ini (satu berkas HTML untuk dikirim lewat surel atau dicetak)",
    },
    "compare.report_in": {"en": "Report in", "id": "Laporan dalam"},
    "compare.store": {"en": "Comparisons are kept in {folder}", "id": "Perbandingan disimpan di {folder}"},
    "compare.store_error": {
        "en": "Comparisons cannot be stored here:",
        "id": "Perbandingan tidak dapat disimpan di sini:",
    },
    "compare.not_found": {"en": "There is no comparison {name} here.", "id": "Tidak ada perbandingan {name} di sini."},
    "compare.households_short": {"en": "{n} households", "id": "{n} rumah tangga"},
    "compare.facilitators_short": {"en": "{n} facilitators", "id": "{n} pendamping"},
    "compare.runs_short": {"en": "{n} runs each", "id": "{n} simulasi per strategi"},
    "compare.about.community_managed": {
        "en": "as area-based, but the villagers' groups run the project themselves and learn management by doing.",
        "id": "seperti berbasis wilayah, tetapi kelompok warga sendiri yang mengelola proyek dan belajar mengelola sambil berjalan.",
    },
    "compare.about.ngo_managed": {
        "en": "area-based with the NGO running the project (as in area-based; named to compare with community-managed).",
        "id": "berbasis wilayah dengan proyek dikelola LSM (sama dengan berbasis wilayah; dipakai sebagai pasangan pembanding untuk yang dikelola masyarakat).",
    },
    "compare.about.exit_abrupt": {
        "en": "as area-based, but the facilitators give full support until the programme ends and then leave at once.",
        "id": "seperti berbasis wilayah, tetapi pendamping mendampingi penuh sampai program berakhir lalu langsung pergi.",
    },
    "compare.about.exit_phased": {
        "en": "as area-based, but support to strong groups tapers off and moves to weaker groups before the facilitators leave.",
        "id": "seperti berbasis wilayah, tetapi dukungan untuk kelompok yang sudah kuat dikurangi sedikit demi sedikit dan dialihkan ke kelompok yang lemah sebelum pendamping pergi.",
    },
    "compare.about.exit_none": {
        "en": "as area-based, but the facilitators never leave: shows what support after the programme's end would buy.",
        "id": "seperti berbasis wilayah, tetapi pendamping tidak pernah pergi: menunjukkan apa hasilnya bila pendampingan diteruskan setelah program berakhir.",
    },
    "compare.about.patrons_engaged": {
        "en": "as area-based, and the facilitators also approach village leaders, officials and patrons and build a forum for dialogue that makes patrons more open.",
        "id": "seperti berbasis wilayah, dan pendamping juga mendekati tokoh desa, aparat, dan patron serta membangun forum dialog yang membuat patron lebih terbuka.",
    },
    "compare.about.patrons_ignored": {
        "en": "as area-based, but the facilitators leave patrons and leaders alone and spend all their effort on the groups.",
        "id": "seperti berbasis wilayah, tetapi pendamping tidak mendekati patron dan tokoh desa, dan mencurahkan seluruh tenaganya untuk kelompok.",
    },
    # survey template columns (berdaya/viz/compare.py; the same facts as docs/survey.md)
    "survey.guide_title": {"en": "Village survey template for Berdaya", "id": "Templat survei desa untuk Berdaya"},
    "survey.guide_intro": {
        "en": 'Fill in one row per household in households.csv and one row per patron in patrons.csv (the example rows show the form; replace them). Keep the column names in the first row as they are. Amounts of money are written in months of a household\'s cost of living, not in rupiah: divide the rupiah amount by what one household in the village needs to live for a month. Save from the spreadsheet as "CSV UTF-8"; commas or semicolons both work, and a decimal comma is fine with semicolons. Every hamlet must have the same number of patrons. Columns marked (may be blank) can be left empty: the model then fills them in.',
        "id": 'Isi satu baris untuk setiap rumah tangga di households.csv dan satu baris untuk setiap patron di patrons.csv (baris contoh menunjukkan bentuknya; ganti dengan data Anda). Biarkan nama kolom di baris pertama seperti adanya. Jumlah uang ditulis dalam bulan biaya hidup satu rumah tangga, bukan dalam rupiah: bagi jumlah rupiah dengan biaya hidup sebulan satu rumah tangga di desa itu. Simpan dari lembar kerja sebagai "CSV UTF-8"; pemisah koma atau titik koma sama-sama bisa, dan dengan titik koma boleh memakai koma desimal. Setiap dusun harus punya jumlah patron yang sama. Kolom bertanda (boleh kosong) boleh tidak diisi: model akan mengisinya sendiri.',
    },
    "survey.optional": {"en": "(may be blank)", "id": "(boleh kosong)"},
    "survey.col.household_id": {
        "en": "a code for the household, different on every row (e.g. KRA-001)",
        "id": "kode rumah tangga, berbeda di setiap baris (misalnya KRA-001)",
    },
    "survey.col.hamlet": {
        "en": "the hamlet (dusun) it lives in: the hamlet's name (Krajan) or its number (1, 2, ...)",
        "id": "dusun tempat rumah tangga tinggal: nama dusun (Krajan) atau nomornya (1, 2, ...)",
    },
    "survey.col.wealth": {
        "en": "savings and goods it could live on, in months of cost of living (3 = enough to live three months); 0 to {max}",
        "id": "tabungan dan harta yang bisa dipakai untuk hidup, dalam bulan biaya hidup (3 = cukup untuk hidup tiga bulan); 0 sampai {max}",
    },
    "survey.col.income": {
        "en": "income in a month compared with a month's cost of living (1 = just enough, 1.5 = half as much again); above 0, at most {max}",
        "id": "pendapatan sebulan dibanding biaya hidup sebulan (1 = pas-pasan, 1,5 = lebih separuhnya); di atas 0, paling tinggi {max}",
    },
    "survey.col.debt": {
        "en": "what it owes its patron now, in months of cost of living; 0 to {max}",
        "id": "utang kepada patronnya sekarang, dalam bulan biaya hidup; 0 sampai {max}",
    },
    "survey.col.patron_id": {
        "en": "the code of the patron it depends on or borrows from; must be in patrons.csv",
        "id": "kode patron tempat rumah tangga ini bergantung atau meminjam; harus ada di patrons.csv",
    },
    "survey.col.awareness": {
        "en": "how clearly it sees the unequal tie with its patron: 0 (not at all) to 1 (fully)",
        "id": "seberapa jelas rumah tangga melihat hubungan yang timpang dengan patronnya: 0 (sama sekali tidak) sampai 1 (sangat jelas)",
    },
    "survey.col.dependency": {
        "en": "how much of its living runs through its patron: 0 to 1",
        "id": "seberapa besar penghidupannya bergantung pada patron: 0 sampai 1",
    },
    "survey.col.skills": {"en": "knowledge and skills: 0 to 1", "id": "pengetahuan dan keterampilan: 0 sampai 1"},
    "survey.col.trust": {
        "en": "trust in the NGO's facilitators: 0 to 1",
        "id": "kepercayaan pada pendamping LSM: 0 sampai 1",
    },
    "survey.col.x": {
        "en": "column of the house on the model's map (with y); usually left blank",
        "id": "kolom letak rumah di peta model (bersama y); biasanya dikosongkan",
    },
    "survey.col.y": {
        "en": "row of the house on the model's map (with x); usually left blank",
        "id": "baris letak rumah di peta model (bersama x); biasanya dikosongkan",
    },
    "survey.col.patrons.patron_id": {
        "en": "a code for the patron, different on every row (e.g. P01)",
        "id": "kode patron, berbeda di setiap baris (misalnya P01)",
    },
    "survey.col.kind": {
        "en": "the kind of patron: landowner, trader, lender or supplier",
        "id": "jenis patron: landowner (pemilik tanah), trader (tengkulak atau pedagang), lender (pemberi pinjaman) atau supplier (pemasok bahan)",
    },
    "survey.col.capital": {
        "en": "what it can lend, in months of a household's cost of living; 0 to {max}",
        "id": "modal yang bisa dipinjamkan, dalam bulan biaya hidup satu rumah tangga; 0 sampai {max}",
    },
    "survey.col.extraction": {
        "en": "the share of its clients' income it takes: {lo} to {hi} (0.3 = 30%)",
        "id": "bagian pendapatan klien yang diambilnya: {lo} sampai {hi} (0,3 = 30%)",
    },
    "survey.col.interest": {
        "en": "interest on its loans per month: {lo} to {hi} (0.1 = 10% a month)",
        "id": "bunga pinjamannya per bulan: {lo} sampai {hi} (0,1 = 10% sebulan)",
    },
    "survey.col.openness": {
        "en": "its stance towards villagers organising: 0 (against) to 1 (supportive)",
        "id": "sikapnya terhadap warga yang berorganisasi: 0 (menolak) sampai 1 (mendukung)",
    },
    "survey.col.patrons.hamlet": {
        "en": "its hamlet; blank: the hamlet where most of its clients live",
        "id": "dusun patron; kosong: dusun tempat kebanyakan kliennya tinggal",
    },
    # --- issue 28: decision analysis (cost-effectiveness, regret, value of information, wording) ---
    "report.cost_per_additional_self_reliant_rp": {
        "en": "Cost per additional self-reliant household",
        "id": "Biaya per tambahan rumah tangga mandiri",
    },
    "report.comparator_short": {"en": "comparator", "id": "pembanding"},
    "report.icer": {
        "en": "In money, over {comparator}: {leader} cost {value} per additional self-reliant household (95% range {ci}); {others}.",
        "id": "Dalam rupiah, dibanding {comparator}: {leader} menghabiskan {value} per tambahan rumah tangga mandiri (rentang 95% {ci}); {others}.",
    },
    "report.icer_alone": {
        "en": "In money, over {comparator}: {leader} cost {value} per additional self-reliant household (95% range {ci}).",
        "id": "Dalam rupiah, dibanding {comparator}: {leader} menghabiskan {value} per tambahan rumah tangga mandiri (rentang 95% {ci}).",
    },
    "report.icer_short": {
        "en": "In money, {leader} cost least per additional self-reliant household over {comparator}: {value}.",
        "id": "Dalam rupiah, {leader} paling murah per tambahan rumah tangga mandiri dibanding {comparator}: {value}.",
    },
    "report.decision": {
        "en": "What to choose, and what to measure first",
        "id": "Apa yang dipilih, dan apa yang perlu diukur dulu",
    },
    "report.ce_lead": {
        "en": "Over {comparator}, in the same {n} plausible worlds, by the end of the run:",
        "id": "Dibanding {comparator}, pada {n} set asumsi yang sama, di akhir simulasi:",
    },
    "report.ce_arm": {
        "en": "{name} gave {extra} more self-reliant households per village for {cost} more: {icer} per additional household (95% range {ci})",
        "id": "{name} menghasilkan {extra} rumah tangga mandiri lebih banyak per desa dengan biaya {cost} lebih besar: {icer} per tambahan rumah tangga (rentang 95% {ci})",
    },
    "report.ce_arm_no_range": {
        "en": "{name} gave {extra} more self-reliant households per village for {cost} more: {icer} per additional household (no range: the gain may be nil)",
        "id": "{name} menghasilkan {extra} rumah tangga mandiri lebih banyak per desa dengan biaya {cost} lebih besar: {icer} per tambahan rumah tangga (tanpa rentang: tambahannya bisa nol)",
    },
    "report.ce_arm_no_gain": {
        "en": "{name} gave no more self-reliant households per village on average ({extra}) for {cost} more",
        "id": "{name} rata-rata tidak menghasilkan rumah tangga mandiri lebih banyak per desa ({extra}) dengan biaya {cost} lebih besar",
    },
    "report.ce_dominated": {
        "en": "Dominated (another strategy gave more self-reliant households for less money): {names}.",
        "id": "Kalah mutlak (strategi lain menghasilkan lebih banyak rumah tangga mandiri dengan biaya lebih kecil): {names}.",
    },
    "report.ce_extended": {
        "en": "Extendedly dominated (spending part of the budget on the cheaper and part on the dearer strategy beside it would give more for the same money): {names}.",
        "id": "Kalah secara diperluas (membagi anggaran antara strategi yang lebih murah dan yang lebih mahal di sebelahnya memberi hasil lebih banyak dengan biaya sama): {names}.",
    },
    "report.ce_acceptability": {
        "en": "The best buy in the most plausible worlds, by what one is willing to pay per additional self-reliant household: {segments} (figure below).",
        "id": "Pilihan terbaik di sebagian besar set asumsi, menurut kesediaan membayar per tambahan rumah tangga mandiri: {segments} (gambar di bawah).",
    },
    "report.ce_segment": {
        "en": "{name} from {low} to {high} (in up to {share} of the worlds)",
        "id": "{name} dari {low} sampai {high} (paling banyak di {share} set asumsi)",
    },
    "report.regret_same": {
        "en": "Guarding against the worst plausible world leads to the same choice: {leader} has both the best mean and the smallest worst shortfall from the best strategy of each world ({regret}).",
        "id": "Berjaga terhadap set asumsi terburuk menghasilkan pilihan yang sama: {leader} punya rata-rata terbaik sekaligus kekurangan terburuk terkecil dibanding strategi terbaik di tiap set asumsi ({regret}).",
    },
    "report.regret_differs": {
        "en": "Guarding against the worst plausible world changes the choice: {leader} has the best mean, but {safer} the smallest worst shortfall from the best strategy of each world ({safe_regret}, against {leader_regret}).",
        "id": "Berjaga terhadap set asumsi terburuk mengubah pilihan: {leader} punya rata-rata terbaik, tetapi {safer} punya kekurangan terburuk terkecil dibanding strategi terbaik di tiap set asumsi ({safe_regret}, dibanding {leader_regret}).",
    },
    "report.voi_worth": {
        "en": "Worth measuring before choosing: {parameter}. Knowing it exactly would gain on average {households} self-reliant households per village over choosing now (95% range {ci}; {rupiah} at {wtp} per household).",
        "id": "Layak diukur sebelum memilih: {parameter}. Bila nilainya diketahui pasti, rata-rata ada tambahan {households} rumah tangga mandiri per desa dibanding memilih sekarang (rentang 95% {ci}; {rupiah} bila bersedia membayar {wtp} per rumah tangga).",
    },
    "report.voi_change": {
        "en": "The choice would change to {strategy} if it turned out {side} {value}.",
        "id": "Pilihan akan berubah menjadi {strategy} bila ternyata {side} {value}.",
    },
    "report.voi_below": {"en": "below", "id": "di bawah"},
    "report.voi_above": {"en": "above", "id": "di atas"},
    "report.voi_unclear": {
        "en": "No single assumption is clearly worth measuring before choosing: the most valuable to know, {parameter}, might gain {households} self-reliant households per village on average, but its 95% range ({ci}) reaches nothing.",
        "id": "Tidak ada satu asumsi pun yang jelas layak diukur sebelum memilih: yang paling berharga untuk diketahui, {parameter}, mungkin menambah rata-rata {households} rumah tangga mandiri per desa, tetapi rentang 95%-nya ({ci}) mencapai nol.",
    },
    "report.voi_none": {
        "en": "No single assumption is worth measuring before choosing: knowing any one exactly would gain on average less than one self-reliant household per village (the most: {parameter}, {households}).",
        "id": "Tidak ada satu asumsi pun yang layak diukur sebelum memilih: mengetahui salah satunya dengan pasti rata-rata menambah kurang dari satu rumah tangga mandiri per desa (paling banyak: {parameter}, {households}).",
    },
    "report.wtp_axis": {
        "en": "willing to pay per additional self-reliant household (Rp million)",
        "id": "kesediaan membayar per tambahan rumah tangga mandiri (juta Rp)",
    },
    "report.acceptability_axis": {
        "en": "worlds where it is the best buy",
        "id": "set asumsi saat menjadi pilihan terbaik",
    },
    "report.fig_acceptability": {
        "en": "Best buy, by willingness to pay",
        "id": "Pilihan terbaik menurut kesediaan membayar",
    },
    "report.sure_min_clear": {
        "en": "With fewer than {min} runs of each strategy no difference is called clear: so few runs cannot tell a real difference from chance.",
        "id": "Dengan kurang dari {min} simulasi per strategi, tidak ada selisih yang disebut jelas: simulasi sesedikit itu tidak bisa membedakan selisih nyata dari kebetulan.",
    },
    "report.after_tiny": {
        "en": "too few households were self-reliant at programme end for a ratio to mean much in {names}",
        "id": "terlalu sedikit rumah tangga yang mandiri pada akhir program untuk bisa dibandingkan pada {names}",
    },
    "report.ce_status": {"en": "Verdict", "id": "Kesimpulan"},
    "report.status_frontier": {"en": "worth considering", "id": "layak dipertimbangkan"},
    "report.status_dominated": {"en": "dominated", "id": "kalah mutlak"},
    "report.status_extendedly_dominated": {"en": "extendedly dominated", "id": "kalah secara diperluas"},
    "report.ce_extra_households": {
        "en": "Additional self-reliant households per village",
        "id": "Tambahan rumah tangga mandiri per desa",
    },
    "report.ce_extra_cost": {"en": "Additional cost per village", "id": "Tambahan biaya per desa"},
    "report.fitness": {
        "en": "How far to trust it: this version of the model meets {met} of the {rows} field patterns it was not fitted to (the hold-out in docs/validation.md, measured at commit {commit}), so read it as a comparison of strategies under stated assumptions, not as a forecast for a village.",
        "id": "Seberapa jauh bisa dipercaya: versi model ini memenuhi {met} dari {rows} pola lapangan yang tidak dipakai untuk menyetelnya (uji tahan di docs/validation.md, diukur pada commit {commit}); bacalah sebagai perbandingan strategi dengan asumsi yang dinyatakan, bukan ramalan untuk satu desa.",
    },
    "report.fitness_survey": {
        "en": "These runs start from the surveyed village in {file}.",
        "id": "Simulasi ini berangkat dari desa hasil survei dalam {file}.",
    },
    "report.fitness_posterior": {
        "en": "The calibrated parameters were drawn from the user's own calibration ({source}).",
        "id": "Parameter hasil kalibrasi diambil dari kalibrasi pengguna sendiri ({source}).",
    },
    "report.self_reliance_horizon": {
        "en": "Self-reliance index, end of run (mean, 0 to 1)",
        "id": "Indeks kemandirian, akhir simulasi (rata-rata, 0 sampai 1)",
    },
    "report.cutoff_note": {
        "en": "A household counts as self-reliant when its self-reliance index is {cutoff} or more; the index itself, averaged over households, is shown beside the share, since a fixed cut-off magnifies small differences in it.",
        "id": "Sebuah rumah tangga dihitung mandiri bila indeks kemandiriannya {cutoff} atau lebih; indeks itu sendiri, dirata-ratakan atas rumah tangga, ditampilkan di samping persentasenya, karena batas yang tetap memperbesar selisih kecil.",
    },
    "report.switch_lead": {
        "en": "Where the choice would change: {leader} was run against {challenger} along the assumptions its lead moves with most, and along the cut-off for counting a household self-reliant.",
        "id": "Kapan pilihan berubah: {leader} dijalankan melawan {challenger} di sepanjang asumsi yang paling menggeser keunggulannya, dan di sepanjang batas untuk menghitung rumah tangga mandiri.",
    },
    "report.switch_changes": {
        "en": "The lead changes hands at {parts}.",
        "id": "Keunggulan berpindah pada {parts}.",
    },
    "report.switch_at": {
        "en": "{parameter} = {value} (95% range {ci}; plausible {low} to {high})",
        "id": "{parameter} = {value} (rentang 95% {ci}; masuk akal {low} sampai {high})",
    },
    "report.switch_holds": {
        "en": "It holds across the whole range of {names}.",
        "id": "Keunggulan itu bertahan di seluruh rentang {names}.",
    },
    "report.level_field": {
        "en": "On a level field (the management, knowledge manager and network bonuses of {against}, so that only whom the facilitators organise differs), {strategy} vs {against}: {difference} (95% CI {ci}; {n} paired runs of the factorial).",
        "id": "Dengan syarat yang sama (pengelolaan, pengelola pengetahuan dan bonus jaringan seperti {against}, sehingga hanya sasaran pengorganisasian yang berbeda), {strategy} dibanding {against}: {difference} (rentang 95% {ci}; {n} pasang simulasi faktorial).",
    },
    "report.level_short": {
        "en": "With management, the knowledge manager and the network bonuses made equal, {strategy} differs by {parts}.",
        "id": "Bila pengelolaan, pengelola pengetahuan dan bonus jaringan disamakan, selisih {strategy} adalah {parts}.",
    },
    "report.level_part": {"en": "{difference} from {against}", "id": "{difference} dari {against}"},
    "report.sure_missing_all": {
        "en": "Some runs have no value for a measure (undefined, e.g. no household self-reliant) and are left out of it: {parts}.",
        "id": "Sebagian simulasi tidak punya nilai untuk suatu ukuran (tidak terdefinisi, misalnya tak ada rumah tangga mandiri) dan tidak dihitung: {parts}.",
    },
    "report.sure_missing_part": {
        "en": "{arm}, {measure}: {missing} of {total}",
        "id": "{arm}, {measure}: {missing} dari {total}",
    },
    "report.decomposition_all": {
        "en": "Over all {n} runs of the comparison the difference is {full}: the factorial's {replicates} worlds are the comparison's first {replicates}, so its total differs by chance.",
        "id": "Atas semua {n} simulasi perbandingan, selisihnya {full}: {replicates} set asumsi faktorial adalah {replicates} yang pertama dari perbandingan, jadi totalnya berbeda karena kebetulan.",
    },
    "report.spread": {
        "en": "Across the plausible worlds, the middle half of the runs ended the programme with: {parts}.",
        "id": "Di seluruh set asumsi, separuh simulasi yang di tengah berakhir pada akhir program dengan: {parts}.",
    },
    "report.spread_arm": {"en": "{name} {low} to {high}", "id": "{name} {low} sampai {high}"},
    "report.spread_split": {
        "en": "{name} is split between worlds: in {nothing} of them almost nobody was self-reliant at programme end, in {most} most households were; its mean describes neither.",
        "id": "{name} terbelah antar set asumsi: di {nothing} di antaranya hampir tidak ada yang mandiri pada akhir program, di {most} sebagian besar rumah tangga mandiri; rata-ratanya tidak menggambarkan keduanya.",
    },
    "report.detail_zero": {
        "en": "{a} vs {b}: {difference} (95% CI {ci}), {verdict}; {b} had no self-reliant household in any run, so this says only that {a} had some in {share} of the runs.",
        "id": "{a} dibanding {b}: {difference} (rentang 95% {ci}), {verdict}; {b} tidak punya rumah tangga mandiri di simulasi mana pun, jadi ini hanya berarti {a} punya beberapa di {share} simulasi.",
    },
}


def t(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang``; an unknown key or language is a programming error."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    return LABELS[key][lang]
