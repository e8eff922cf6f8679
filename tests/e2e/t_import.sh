# t_import.sh - a training school's roster, as Chinese spreadsheet programs export it,
# becomes certifications in one atomic batch; one bad row refuses the whole file.
. "$E2E/lib.sh"
accredited_ledger 2>/dev/null

# UTF-8 with BOM and CRLF, Chinese headers, a quoted field with a comma and a newline.
printf '\357\273\277姓名,性别,证件类型,证件号码,职业（工种）,职业编码,大典版本,等级,证书编号,发证日期,评价类型,评价机构类型,联系电话,备注\r\n' >good.csv
printf '张三丰,男,居民身份证,11010519491231002X,电工,6-31-01-03,2015版,四级/中级工,S123450010900264000001,2026/3/5,skill-level,S,13800000001,"北碚区, 第一批"\r\n' >>good.csv
printf '李小龙,男,居民身份证,500109198807150016,电工,6-31-01-03,2015版,五级/初级工,S123450010900265000002,2026-03-06,skill-level,S,13800000002,"两行\r\n备注"\r\n' >>good.csv
sz=$(leaves l.db)
# A dry run checks everything, appends nothing and adds nobody to the vault.
expect_exit 0 "$SKL" import --db l.db --key center.key --csv good.csv --set kind=certification \
    --dry-run
expect_in "$WORK/err" "dry run"
[ "$(leaves l.db)" -eq "$sz" ] || fail "a dry run appended"
expect_exit 1 "$SKL" worker show --db l.db --id-type resident-id --id-number 500109198807150016
expect_exit 0 "$SKL" import --db l.db --key center.key --csv good.csv --set kind=certification
[ "$(grep -c 'index' "$WORK/out")" -eq 2 ] || fail "expected two indexes"
expect_in "$WORK/err" "personal data (phone) is not recorded"
if sqlite3 l.db "SELECT data FROM leaves" | grep -qF -e 13800000001 -e '"男"'; then
    fail "a phone number or gender reached a leaf"
fi
[ "$(leaves l.db)" -eq $((sz + 2)) ] || fail "two leaves should have been appended"
# The workers were added to the vault and can be found by ID number.
expect_exit 0 "$SKL" worker show --db l.db --id-type resident-id --id-number 500109198807150016
expect_in "$WORK/out" "李小龙"

# The same roster in GB18030, as Excel and WPS export it.
sed -e 's/000001/000011/' -e 's/000002/000012/' good.csv | tail -c +4 |
    iconv -f UTF-8 -t GB18030 >gbk.csv
expect_exit 0 "$SKL" import --db l.db --key center.key --csv gbk.csv --set kind=certification
[ "$(leaves l.db)" -eq $((sz + 4)) ] || fail "the GBK roster was not appended"

# Bad rows: a wrong ID check digit (line 2), a level out of scope (line 3), a malformed
# certificate number (line 4). All listed with their lines; nothing appended.
printf '姓名,证件号码,职业编码,大典版本,等级,证书编号,发证日期,评价类型,评价机构类型\n' >bad.csv
printf '王五,110105194912310021,6-31-01-03,2015,L4,S123450010900264000021,2026-03-05,skill-level,S\n' >>bad.csv
printf '赵六,11010519491231002X,6-31-01-03,2015,L1,S123450010900261000022,2026-03-05,skill-level,S\n' >>bad.csv
printf '孙七,11010519491231002X,6-31-01-03,2015,L4,S12345,2026-03-05,skill-level,S\n' >>bad.csv
expect_exit 1 "$SKL" import --db l.db --key center.key --csv bad.csv --set kind=certification
expect_in "$WORK/err" "bad.csv:2:"
expect_in "$WORK/err" "bad.csv:4:"
expect_in "$WORK/err" "nothing was appended"
[ "$(leaves l.db)" -eq $((sz + 4)) ] || fail "a refused roster changed the ledger"
# A roster whose only bad row is out of scope is refused by the ledger's dry run.
printf '姓名,证件号码,职业编码,大典版本,等级,证书编号,发证日期,评价类型,评价机构类型\n' >scope.csv
printf '赵六,11010519491231002X,6-31-01-03,2015,L1,S123450010900261000022,2026-03-05,skill-level,S\n' >>scope.csv
expect_exit 1 "$SKL" import --db l.db --key center.key --csv scope.csv --set kind=certification
expect_in "$WORK/err" "scope.csv:2: refused:"
[ "$(leaves l.db)" -eq $((sz + 4)) ] || fail "a refused roster changed the ledger"

# Unquoted quote, ragged row, empty file.
printf '姓名,证件号码\n张"三,1\n' >q.csv
expect_exit 2 "$SKL" import --db l.db --key center.key --csv q.csv --set kind=certification
expect_in "$WORK/err" "line 2"
: >empty.csv
expect_exit 1 "$SKL" import --db l.db --key center.key --csv empty.csv
expect_in "$WORK/err" "empty"
"$SKL" audit --db l.db >/dev/null || fail "audit failed"
