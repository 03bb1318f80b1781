"""Preset classification schemes (総務省「地方公共団体における情報セキュリティポリシーに関するガイドライン」).

Each body gets its own editable copy: the definitions and handling restrictions below are a
starting point that the body's promoter adapts to its own policy.
"""

CONF_HIGH_RESTRICTIONS = (
    "支給以外の端末での作業の原則禁止\n"
    "必要以上の複製及び配付禁止\n"
    "保管場所の制限、保管場所への必要以上の電磁的記録媒体等の持ち込み禁止\n"
    "情報の送信、情報資産の運搬・提供時における暗号化・パスワード設定や鍵付きケースへの格納\n"
    "復元不可能な処理を施しての廃棄\n"
    "信頼のできるネットワーク回線の選択\n"
    "外部で情報処理を行う際の安全管理措置の規定\n"
    "電磁的記録媒体の施錠可能な場所への保管"
)
INTEGRITY_HIGH_RESTRICTIONS = (
    "バックアップ、電子署名付与\n外部で情報処理を行う際の安全管理措置の規定\n電磁的記録媒体の施錠可能な場所への保管"
)
AVAILABILITY_HIGH_RESTRICTIONS = "バックアップ、指定する時間以内の復旧\n電磁的記録媒体の施錠可能な場所への保管"

INTEGRITY_AND_AVAILABILITY = [
    # axis, code, base class, definition, handling restrictions
    ("integrity", "2", 2,
     "行政事務で取り扱う情報資産のうち、改ざん、誤びゅう又は破損により、住民の権利が侵害される又は"
     "行政事務の適確な遂行に支障（軽微なものを除く。）を及ぼすおそれがある情報資産",
     INTEGRITY_HIGH_RESTRICTIONS),
    ("integrity", "1", 1, "完全性2の情報資産以外の情報資産", ""),
    ("availability", "2", 2,
     "行政事務で取り扱う情報資産のうち、滅失、紛失又は当該情報資産が利用不可能であることにより、"
     "住民の権利が侵害される又は行政事務の安定的な遂行に支障（軽微なものを除く。）を及ぼすおそれがある情報資産",
     AVAILABILITY_HIGH_RESTRICTIONS),
    ("availability", "1", 1, "可用性2の情報資産以外の情報資産", ""),
]

PRESETS = {
    "mic_r4": {
        "name": "総務省ガイドライン（令和4年版）",
        "levels": [
            ("confidentiality", "3", 3, "行政事務で取り扱う情報資産のうち、秘密文書に相当する機密性を要する情報資産",
             CONF_HIGH_RESTRICTIONS),
            ("confidentiality", "2", 2,
             "行政事務で取り扱う情報資産のうち、秘密文書に相当する機密性は要しないが、"
             "直ちに一般に公表することを前提としていない情報資産", CONF_HIGH_RESTRICTIONS),
            ("confidentiality", "1", 1, "機密性2又は機密性3の情報資産以外の情報資産", ""),
            *INTEGRITY_AND_AVAILABILITY,
        ],
    },
    "mic_r6": {
        "name": "総務省ガイドライン（令和6年版）",
        "levels": [
            ("confidentiality", "3A", 3,
             "行政事務で取り扱う情報資産のうち、秘密文書に相当する機密性を要する情報資産であって、"
             "漏えい等により住民の生命、財産等へ重大な影響を及ぼすおそれがあるもの（個人番号を含む情報資産等）",
             CONF_HIGH_RESTRICTIONS),
            ("confidentiality", "3B", 3,
             "行政事務で取り扱う情報資産のうち、秘密文書に相当する機密性を要する情報資産であって、"
             "漏えい等により行政事務の遂行に重大な支障を及ぼすおそれがあるもの", CONF_HIGH_RESTRICTIONS),
            ("confidentiality", "3C", 3,
             "行政事務で取り扱う情報資産のうち、秘密文書に相当する機密性を要する情報資産であって、3A及び3B以外のもの",
             CONF_HIGH_RESTRICTIONS),
            ("confidentiality", "2", 2,
             "行政事務で取り扱う情報資産のうち、秘密文書に相当する機密性は要しないが、"
             "直ちに一般に公表することを前提としていない情報資産", CONF_HIGH_RESTRICTIONS),
            ("confidentiality", "1", 1, "機密性2又は機密性3の情報資産以外の情報資産", ""),
            *INTEGRITY_AND_AVAILABILITY,
        ],
    },
}
DEFAULT_PRESET = "mic_r4"
