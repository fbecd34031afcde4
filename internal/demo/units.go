package demo

// unitSpec describes one OPD of the demo city and its integrity profile.
type unitSpec struct {
	code, name, parent string
	internalN          int     // staff roster size
	externalN          int     // estimated service users
	level              float64 // latent integrity 0..1; the unit's index lands near 100·level
	weak               string  // an element that is worse than the rest, or ""
	internalResp       int     // responses in the current period
	externalResp       int
	expertResp         int
}

// city is Kota Sukamaju, a fictional city: its dinas, badan, kecamatan and
// its hospital, with integrity profiles from Terjaga to Rentan and a few units
// with too few respondents to publish.
var city = []unitSpec{
	{"SETDA", "Sekretariat Daerah", "", 180, 0, 0.80, "pbj", 45, 0, 6},
	{"SETWAN", "Sekretariat DPRD", "", 70, 0, 0.70, "anggaran", 28, 0, 5},
	{"BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "", 60, 0, 0.83, "", 30, 0, 5},
	{"BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "", 95, 600, 0.79, "anggaran", 40, 22, 6},
	{"BAPENDA", "Badan Pendapatan Daerah", "", 85, 12000, 0.71, "integritas_tugas", 38, 60, 5},
	{"BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "", 55, 900, 0.69, "sdm", 30, 25, 5},
	{"BPBD", "Badan Penanggulangan Bencana Daerah", "", 45, 1500, 0.82, "", 22, 18, 0},
	{"KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "", 25, 200, 0.78, "", 4, 3, 0},
	{"DISDIK", "Dinas Pendidikan", "", 320, 30000, 0.77, "sdm", 60, 80, 6},
	{"DINKES", "Dinas Kesehatan", "", 150, 25000, 0.81, "pbj", 50, 70, 6},
	{"PKM-SKU", "UPTD Puskesmas Sukamaju Utara", "DINKES", 40, 9000, 0.86, "", 20, 45, 0},
	{"PKM-TJS", "UPTD Puskesmas Tanjung Sari", "DINKES", 35, 7000, 0.74, "integritas_tugas", 18, 40, 0},
	{"RSUD", "RSUD Kota Sukamaju", "", 420, 60000, 0.75, "pbj", 60, 90, 6},
	{"DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang — Bina Marga & Cipta Karya", "", 140, 3000, 0.66, "pbj", 48, 30, 6},
	{"DPKP", "Dinas Perumahan dan Kawasan Permukiman", "", 60, 1500, 0.72, "pbj", 28, 20, 5},
	{"DINSOS", "Dinas Sosial", "", 65, 8000, 0.74, "integritas_tugas", 30, 45, 5},
	{"DISNAKER", "Dinas Tenaga Kerja", "", 50, 4000, 0.80, "", 25, 35, 0},
	{"DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "", 75, 45000, 0.78, "integritas_tugas", 35, 85, 5},
	{"DISHUB", "Dinas Perhubungan", "", 110, 6000, 0.68, "perdagangan_pengaruh", 42, 40, 5},
	{"DLH", "Dinas Lingkungan Hidup", "", 130, 5000, 0.79, "perdagangan_pengaruh", 40, 30, 5},
	{"DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "", 60, 9000, 0.84, "perdagangan_pengaruh", 30, 70, 6},
	{"DISKOPUKM", "Dinas Koperasi dan Usaha Mikro", "", 40, 2500, 0.82, "", 22, 30, 0},
	{"DISDAG", "Dinas Perdagangan", "", 55, 3500, 0.76, "integritas_tugas", 26, 35, 5},
	{"DISTAN", "Dinas Pertanian dan Ketahanan Pangan", "", 70, 2000, 0.81, "anggaran", 30, 25, 0},
	{"DISPARBUD", "Dinas Pariwisata dan Kebudayaan", "", 45, 1200, 0.83, "", 22, 20, 0},
	{"DISKOMINFO", "Dinas Komunikasi dan Informatika", "", 50, 800, 0.88, "", 26, 15, 5},
	{"DISPORA", "Dinas Pemuda dan Olahraga", "", 35, 900, 0.80, "", 18, 4, 0},
	{"DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "", 35, 1100, 0.87, "", 18, 16, 0},
	{"DISPUSIP", "Dinas Perpustakaan dan Kearsipan", "", 30, 3000, 0.89, "", 16, 3, 0},
	{"DAMKAR", "Dinas Pemadam Kebakaran dan Penyelamatan", "", 90, 700, 0.85, "", 30, 12, 0},
	{"SATPOLPP", "Satuan Polisi Pamong Praja", "", 160, 2000, 0.65, "integritas_tugas", 44, 25, 5},
	{"KEC-SKU", "Kecamatan Sukamaju Utara", "SETDA", 35, 8000, 0.80, "", 18, 40, 0},
	{"KEC-SKS", "Kecamatan Sukamaju Selatan", "SETDA", 32, 7500, 0.73, "integritas_tugas", 17, 38, 0},
	{"KEC-TJS", "Kecamatan Tanjung Sari", "SETDA", 30, 6000, 0.84, "", 16, 36, 0},
	{"KEC-KRP", "Kecamatan Karang Pusat", "SETDA", 38, 9000, 0.70, "integritas_tugas", 20, 42, 0},
	{"KEC-BKT", "Kecamatan Bukit Tinggi Raya", "SETDA", 28, 5000, 0.86, "", 3, 30, 0},
}

var firstNames = []string{"Ahmad", "Siti", "Budi", "Dewi", "Agus", "Rina", "Hendra", "Sri", "Yusuf", "Nur", "Rizky", "Putri",
	"Dedi", "Lestari", "Fajar", "Wulan", "Eko", "Intan", "Bambang", "Ratna", "Andi", "Maya", "Joko", "Fitri", "Arif", "Yuni"}

var lastNames = []string{"Saputra", "Wijaya", "Lestari", "Hidayat", "Kusuma", "Pratama", "Siregar", "Nasution", "Harahap",
	"Simanjuntak", "Santoso", "Rahmawati", "Gunawan", "Setiawan", "Purnomo", "Hakim", "Syahputra", "Utami", "Halim", "Wibowo"}

var grades = []string{"I-II", "III", "III", "III", "IV", "PPPK"}
