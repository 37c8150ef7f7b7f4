// ISO 3166-1: alpha-2, alpha-3 and the English short name, one country per line.
// Kept as text and parsed on first use so that importing the module costs nothing.
export const ISO_COUNTRIES = `
AD AND Andorra
AE ARE United Arab Emirates
AF AFG Afghanistan
AG ATG Antigua and Barbuda
AI AIA Anguilla
AL ALB Albania
AM ARM Armenia
AO AGO Angola
AQ ATA Antarctica
AR ARG Argentina
AS ASM American Samoa
AT AUT Austria
AU AUS Australia
AW ABW Aruba
AX ALA Åland Islands
AZ AZE Azerbaijan
BA BIH Bosnia and Herzegovina
BB BRB Barbados
BD BGD Bangladesh
BE BEL Belgium
BF BFA Burkina Faso
BG BGR Bulgaria
BH BHR Bahrain
BI BDI Burundi
BJ BEN Benin
BL BLM Saint Barthélemy
BM BMU Bermuda
BN BRN Brunei Darussalam
BO BOL Bolivia
BQ BES Bonaire, Sint Eustatius and Saba
BR BRA Brazil
BS BHS Bahamas
BT BTN Bhutan
BV BVT Bouvet Island
BW BWA Botswana
BY BLR Belarus
BZ BLZ Belize
CA CAN Canada
CC CCK Cocos (Keeling) Islands
CD COD Democratic Republic of the Congo
CF CAF Central African Republic
CG COG Congo
CH CHE Switzerland
CI CIV Côte d'Ivoire
CK COK Cook Islands
CL CHL Chile
CM CMR Cameroon
CN CHN China
CO COL Colombia
CR CRI Costa Rica
CU CUB Cuba
CV CPV Cabo Verde
CW CUW Curaçao
CX CXR Christmas Island
CY CYP Cyprus
CZ CZE Czechia
DE DEU Germany
DJ DJI Djibouti
DK DNK Denmark
DM DMA Dominica
DO DOM Dominican Republic
DZ DZA Algeria
EC ECU Ecuador
EE EST Estonia
EG EGY Egypt
EH ESH Western Sahara
ER ERI Eritrea
ES ESP Spain
ET ETH Ethiopia
FI FIN Finland
FJ FJI Fiji
FK FLK Falkland Islands (Malvinas)
FM FSM Micronesia
FO FRO Faroe Islands
FR FRA France
GA GAB Gabon
GB GBR United Kingdom
GD GRD Grenada
GE GEO Georgia
GF GUF French Guiana
GG GGY Guernsey
GH GHA Ghana
GI GIB Gibraltar
GL GRL Greenland
GM GMB Gambia
GN GIN Guinea
GP GLP Guadeloupe
GQ GNQ Equatorial Guinea
GR GRC Greece
GS SGS South Georgia and the South Sandwich Islands
GT GTM Guatemala
GU GUM Guam
GW GNB Guinea-Bissau
GY GUY Guyana
HK HKG Hong Kong
HM HMD Heard Island and McDonald Islands
HN HND Honduras
HR HRV Croatia
HT HTI Haiti
HU HUN Hungary
ID IDN Indonesia
IE IRL Ireland
IL ISR Israel
IM IMN Isle of Man
IN IND India
IO IOT British Indian Ocean Territory
IQ IRQ Iraq
IR IRN Iran
IS ISL Iceland
IT ITA Italy
JE JEY Jersey
JM JAM Jamaica
JO JOR Jordan
JP JPN Japan
KE KEN Kenya
KG KGZ Kyrgyzstan
KH KHM Cambodia
KI KIR Kiribati
KM COM Comoros
KN KNA Saint Kitts and Nevis
KP PRK North Korea
KR KOR South Korea
KW KWT Kuwait
KY CYM Cayman Islands
KZ KAZ Kazakhstan
LA LAO Laos
LB LBN Lebanon
LC LCA Saint Lucia
LI LIE Liechtenstein
LK LKA Sri Lanka
LR LBR Liberia
LS LSO Lesotho
LT LTU Lithuania
LU LUX Luxembourg
LV LVA Latvia
LY LBY Libya
MA MAR Morocco
MC MCO Monaco
MD MDA Moldova
ME MNE Montenegro
MF MAF Saint Martin (French part)
MG MDG Madagascar
MH MHL Marshall Islands
MK MKD North Macedonia
ML MLI Mali
MM MMR Myanmar
MN MNG Mongolia
MO MAC Macao
MP MNP Northern Mariana Islands
MQ MTQ Martinique
MR MRT Mauritania
MS MSR Montserrat
MT MLT Malta
MU MUS Mauritius
MV MDV Maldives
MW MWI Malawi
MX MEX Mexico
MY MYS Malaysia
MZ MOZ Mozambique
NA NAM Namibia
NC NCL New Caledonia
NE NER Niger
NF NFK Norfolk Island
NG NGA Nigeria
NI NIC Nicaragua
NL NLD Netherlands
NO NOR Norway
NP NPL Nepal
NR NRU Nauru
NU NIU Niue
NZ NZL New Zealand
OM OMN Oman
PA PAN Panama
PE PER Peru
PF PYF French Polynesia
PG PNG Papua New Guinea
PH PHL Philippines
PK PAK Pakistan
PL POL Poland
PM SPM Saint Pierre and Miquelon
PN PCN Pitcairn
PR PRI Puerto Rico
PS PSE Palestine
PT PRT Portugal
PW PLW Palau
PY PRY Paraguay
QA QAT Qatar
RE REU Réunion
RO ROU Romania
RS SRB Serbia
RU RUS Russia
RW RWA Rwanda
SA SAU Saudi Arabia
SB SLB Solomon Islands
SC SYC Seychelles
SD SDN Sudan
SE SWE Sweden
SG SGP Singapore
SH SHN Saint Helena, Ascension and Tristan da Cunha
SI SVN Slovenia
SJ SJM Svalbard and Jan Mayen
SK SVK Slovakia
SL SLE Sierra Leone
SM SMR San Marino
SN SEN Senegal
SO SOM Somalia
SR SUR Suriname
SS SSD South Sudan
ST STP Sao Tome and Principe
SV SLV El Salvador
SX SXM Sint Maarten (Dutch part)
SY SYR Syria
SZ SWZ Eswatini
TC TCA Turks and Caicos Islands
TD TCD Chad
TF ATF French Southern Territories
TG TGO Togo
TH THA Thailand
TJ TJK Tajikistan
TK TKL Tokelau
TL TLS Timor-Leste
TM TKM Turkmenistan
TN TUN Tunisia
TO TON Tonga
TR TUR Türkiye
TT TTO Trinidad and Tobago
TV TUV Tuvalu
TW TWN Taiwan
TZ TZA Tanzania
UA UKR Ukraine
UG UGA Uganda
UM UMI United States Minor Outlying Islands
US USA United States
UY URY Uruguay
UZ UZB Uzbekistan
VA VAT Holy See
VC VCT Saint Vincent and the Grenadines
VE VEN Venezuela
VG VGB British Virgin Islands
VI VIR U.S. Virgin Islands
VN VNM Viet Nam
VU VUT Vanuatu
WF WLF Wallis and Futuna
WS WSM Samoa
YE YEM Yemen
YT MYT Mayotte
ZA ZAF South Africa
ZM ZMB Zambia
ZW ZWE Zimbabwe
`

// Other names people type: formal names, older names, local names, abbreviations.
// Keys are compared after the same normalisation as the table (accents, case, punctuation).
export const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  'united states of america': 'US',
  america: 'US',
  'u s': 'US',
  'u s a': 'US',
  'the united states': 'US',
  'estados unidos': 'US',
  'vereinigte staaten': 'US',
  'etats unis': 'US',
  uk: 'GB',
  'u k': 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  'united kingdom of great britain and northern ireland': 'GB',
  deutschland: 'DE',
  allemagne: 'DE',
  alemania: 'DE',
  中国: 'CN',
  中华人民共和国: 'CN',
  中國: 'CN',
  中国大陆: 'CN',
  香港: 'HK',
  中国香港: 'HK',
  澳门: 'MO',
  澳門: 'MO',
  中国澳门: 'MO',
  台湾: 'TW',
  台灣: 'TW',
  中国台湾: 'TW',
  美: 'US',
  美利坚合众国: 'US',
  英: 'GB',
  大不列颠及北爱尔兰联合王国: 'GB',
  阿联酋: 'AE',
  南韩: 'KR',
  大韩民国: 'KR',
  北韩: 'KP',
  朝鲜: 'KP',
  俄国: 'RU',
  俄罗斯联邦: 'RU',
  荷兰王国: 'NL',
  纽西兰: 'NZ',
  星加坡: 'SG',
  新加坡共和国: 'SG',
  越南社会主义共和国: 'VN',
  'u a e': 'AE',
  "people's republic of china": 'CN',
  prc: 'CN',
  日本: 'JP',
  nippon: 'JP',
  대한민국: 'KR',
  한국: 'KR',
  'korea republic of': 'KR',
  'republic of korea': 'KR',
  korea: 'KR',
  "korea democratic people's republic of": 'KP',
  "democratic people's republic of korea": 'KP',
  россия: 'RU',
  'russian federation': 'RU',
  france: 'FR',
  espana: 'ES',
  espanya: 'ES',
  italia: 'IT',
  brasil: 'BR',
  mexique: 'MX',
  'the netherlands': 'NL',
  nederland: 'NL',
  holland: 'NL',
  belgique: 'BE',
  belgie: 'BE',
  schweiz: 'CH',
  suisse: 'CH',
  svizzera: 'CH',
  osterreich: 'AT',
  sverige: 'SE',
  norge: 'NO',
  danmark: 'DK',
  suomi: 'FI',
  polska: 'PL',
  'czech republic': 'CZ',
  cesko: 'CZ',
  magyarorszag: 'HU',
  ellada: 'GR',
  turkey: 'TR',
  turkiye: 'TR',
  uae: 'AE',
  emirates: 'AE',
  'ivory coast': 'CI',
  'cape verde': 'CV',
  swaziland: 'SZ',
  burma: 'MM',
  'east timor': 'TL',
  macedonia: 'MK',
  'republic of north macedonia': 'MK',
  vatican: 'VA',
  'vatican city': 'VA',
  'holy see (vatican city state)': 'VA',
  vietnam: 'VN',
  'viet nam': 'VN',
  "lao people's democratic republic": 'LA',
  'iran islamic republic of': 'IR',
  'syrian arab republic': 'SY',
  'bolivia plurinational state of': 'BO',
  'venezuela bolivarian republic of': 'VE',
  'tanzania united republic of': 'TZ',
  'moldova republic of': 'MD',
  'micronesia federated states of': 'FM',
  'palestine state of': 'PS',
  'palestinian territories': 'PS',
  'taiwan province of china': 'TW',
  'republic of china': 'TW',
  'hong kong sar': 'HK',
  macau: 'MO',
  drc: 'CD',
  'dr congo': 'CD',
  'congo kinshasa': 'CD',
  'congo the democratic republic of the': 'CD',
  'congo brazzaville': 'CG',
  'republic of the congo': 'CG',
  'the gambia': 'GM',
  'the bahamas': 'BS',
  brunei: 'BN',
  'st kitts and nevis': 'KN',
  'st lucia': 'LC',
  'st vincent and the grenadines': 'VC',
  'sao tome and principe': 'ST',
  'falkland islands': 'FK',
  'virgin islands british': 'VG',
  'virgin islands u s': 'VI',
  'us virgin islands': 'VI',
  bosnia: 'BA',
  'bosnia herzegovina': 'BA',
  trinidad: 'TT',
  antigua: 'AG',
  eire: 'IE',
  'republic of ireland': 'IE',
  'new zealand aotearoa': 'NZ',
  aotearoa: 'NZ',
  'south africa rsa': 'ZA',
  rsa: 'ZA',
  saudi: 'SA',
  ksa: 'SA',
  'kingdom of saudi arabia': 'SA',
  curacao: 'CW',
  reunion: 'RE',
  'aland islands': 'AX',
  'saint barthelemy': 'BL',
  'st barts': 'BL',
  'saint martin': 'MF',
  'sint maarten': 'SX',
  'kyrgyz republic': 'KG',
  'slovak republic': 'SK',
  'cabo verde': 'CV',
}
