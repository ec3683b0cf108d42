// The IG's own example message, corrected, for tests.
/** CDC IG R1.5 App. A VXU #1 with its published errata fixed (docs/domain.md §1.10): MSH-7 as TS_Z,
 * PID-7 per the storyboard, race in CDCREC, Hep B unspecified = CVX 45, Pediarix label, ActHIB
 * lot 33k2a, the 69764-9 text. */
export const IG_EXAMPLE_1 = [
'MSH|^~\\&|MYEHR|DCS|MYIIS||20120113000000-0500||VXU^V04^VXU_V04|45646ug|P|2.5.1|||ER|AL|||||Z22^CDCPHINVS',
'PID|1||432155^^^dcs^MR||Patient^Johnny^New^^^^L|Lastname^Sally^^^^^M|20110414|M||1002-5^American Indian or Alaska Native^CDCREC|123 Any St^^Somewhere^WI^54000^^L||^PRN^PH^^^111^2320112|||||||||2186-5^not Hispanic^CDCREC',
'NK1|1|Patient^Sally^^^^^L|MTH^Mom^HL70063|123 Any St^^Somewhere^WI^54000^^L',
'ORC|RE||65929^DCS|||||||^Clerk^Myron||',
'RXA|0|1|20110415||45^hep B, unspec^CVX|999|||01^historical^NIP001|||||||||||CP|A',
'ORC|RE||65930^DCS||||||20120113|^Clerk^Myron||^Pediatric^Mary^^^^^^^^^^^^^^^^^^MD|||||||||Dabig Clinic System',
'RXA|0|1|20120113||110^DTaP-Hep B-IPV^CVX|0.5|mL^^UCUM||00^New admin^NIP001|^Sticker^Nurse^^^^^^^^^^^^^^^^^^RN|^^^DCS_DC||||xy3939|20141212|SKB^GlaxoSmithKline^MVX|||CP|A',
'RXR|C28161^IM^NCIT^IM^^HL70162|RT^Right Thigh^HL70163',
'OBX|1|CE|64994-7^Eligibility Status^LN|1|V02^Medicaid^HL70064||||||F||||||VXC40^vaccine level^CDCPHINVS',
'OBX|2|DT|29769-7^VIS presented^LN|2|20120113||||||F',
'OBX|3|CE|69764-9^Document type^LN|2|253088698300026411121116^Multivaccine VIS^cdcgs1vis||||||F',
'ORC|RE||65949^DCS||||||20120113|^Clerk^Myron||^Pediatric^Mary^^^^^^^^^^^^^^^^^^MD|||||||||Dabig Clinic System',
'RXA|0|1|20120113||48^HIB PRP-T^CVX|0.5|mL^^UCUM||00^New admin^NIP001|^Sticker^Nurse^^^^^^^^^^^^^^^^^^RN|^^^DCS_DC||||33k2a|20130309|PMC^sanofi^MVX|||CP|A',
'RXR|C28161^IM^NCIT^IM^^HL70162|LT^left Thigh^HL70163',
'OBX|4|CE|64994-7^Eligibility Status^LN|1|V02^Medicaid^HL70064||||||F||||||VXC40^vaccine level^CDCPHINVS',
'OBX|5|DT|29769-7^VIS presented^LN|2|20120113||||||F',
'OBX|6|CE|69764-9^Document type^LN|2|253088698300026411121116^Multivaccine VIS^cdcgs1vis||||||F',
].join('\r') + '\r';
