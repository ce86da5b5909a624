"""Word lists behind :mod:`scorecard.privacy`'s name and address detectors (private data module).

Compact and built in on purpose: the well-kept packages that ship name lists
are either large (``names-dataset``: a database of hundreds of megabytes) or
test-data generators (``Faker``), neither a fit for a runtime dependency of a
scoring library. The lists hold the most frequent names, which cover most of
a population: the Chinese surnames below are carried by roughly 90 % of
people in mainland China (the 100 most common single surnames plus the
common compound ones), the Western lists are the most common first names and
surnames of the US census / social-security tables. Recall against names
*not* drawn from these lists is measured in ``tests/test_privacy_detection.py``
with Faker as an independent generator.
"""

from __future__ import annotations

CN_SURNAMES: frozenset[str] = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛"
    "邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝"
    "路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
CN_COMPOUND_SURNAMES: frozenset[str] = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐", "夏侯",
     "轩辕", "端木", "西门", "南宫", "独孤", "申屠", "万俟", "闻人", "澹台", "赫连", "拓跋", "呼延"]
)
#: Characters frequent in given names (a name-shaped value holding one of them is far likelier a name).
CN_GIVEN_CHARS: frozenset[str] = frozenset(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建文斌宇浩凯婷雪琳晨欣怡子涵梓轩博雨思俊嘉佳晓海国志"
    "春金荣新德云飞丹宁波峰燕林鑫帆健慧晶玲梅莉颖悦琪瑶璐露倩薇蕾菲妍婕媛嫣娇媚珊琳璇瑜琦瑞祥福禄寿康安泰和乐永长兴"
    "旺发财贵富宝珍珠翠凤鸣龙虎彪豪杰雄威武毅刚坚诚信忠义仁礼智勇亮光辉耀阳晖旭东南西北中正大小立成功业家庭庆喜"
    "桂兰菊莲荷梅竹松柏桃李杏芝蓉芬芸芹芷茜茹莎萱蓓蕊薇晴雯霏霖露霜冰清洁淑娴婉娥娅婧媛姝妮娜娟娴嫒瑾璟璐瑶琰琛"
    "昊昕晟晨曦皓睿哲浩淼涵源渊泽洁洪涛润沛泓潇滨鸿鹤鹏鹰翔翰翼羽彬彤影然炎炜烨焕熙煜燕梓楠桐森楷槐樱榕柯栋梁"
    "天地人一二三四五六七八九十百千万丰玲秀兰凤云霞娣妹姐弟哥宏伟红卫军民振华国庆建国建华建军志强志明俊杰子豪"
    "雅静馨蕙艺逸奕宜依伊怡彦延言妍研颜岩炎琰艳燕雁晏宴扬杨洋阳仰养耀瑶遥尧姚业叶晔烨一伊衣医依仪宜怡贻彝以"
    "亿义艺忆议亦异译易奕益逸意溢毅翼懿因音茵殷银寅引饮隐印英莺婴瑛樱鹰迎盈莹萤营萦滢颖影映应硬庸雍永咏泳勇"
    "涌用优悠幽尤由犹油游友有又右幼佑于予余俞渝愉瑜榆虞宇羽雨语玉育郁昱狱浴预域欲喻御裕遇愈誉豫元园员沅垣原"
    "圆袁援缘源远苑院愿约月岳悦阅跃越云匀芸耘允运韵蕴"
)
#: Endings of place, organisation and product names: a value ending so is not a personal name.
CN_NON_NAME_ENDINGS: frozenset[str] = frozenset(
    "省市县区镇乡村路街道巷弄号楼室栋座院馆局厅部处科所站场厂店行司社会团队组班校园员仪师工河湖岛州岭口港湾关门"
    "业品类型级等款额费率期金币卡险贷债股票证券银保信托基租赁运输通讯服务管理咨询餐饮住宿建筑制造批发零售农林牧渔"
    "矿电热燃水气育卫文化体娱乐公共机构组织其他未知无有是否男女低上下左右前后内外旧少半多"
)

WESTERN_FIRST_NAMES: frozenset[str] = frozenset(
    """james robert john michael david william richard joseph thomas christopher charles daniel matthew anthony mark
    donald steven andrew paul joshua kenneth kevin brian george timothy ronald jason edward jeffrey ryan jacob gary
    nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander patrick frank raymond
    jack dennis jerry tyler aaron jose adam nathan henry zachary douglas peter kyle noah ethan jeremy walter christian
    keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe
    logan alan juan albert willie elijah wayne randy vincent mason roy ralph bobby russell bradley philip eugene louis
    harry howard martin fred craig victor shawn todd chad derek travis cody luke corey allen jeffery curtis lucas
    evan ian luis carlos antonio marcus tony mario francisco miguel jorge ricardo manuel pedro javier alejandro
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty sandra margaret ashley
    kimberly emily donna michelle carol amanda melissa deborah stephanie dorothy rebecca sharon laura cynthia amy
    kathleen angela shirley brenda emma anna pamela nicole samantha katherine christine helen debra rachel carolyn
    janet maria catherine heather diane olivia julie joyce victoria ruth virginia lauren kelly christina joan evelyn
    judith andrea hannah megan cheryl jacqueline martha madison teresa gloria sara janice ann kathryn abigail sophia
    frances jean alice judy isabella julia grace amber denise danielle marilyn beverly charlotte natalie theresa diana
    brittany doris kayla alexis lori marie tiffany tammy crystal erin paula april rose wendy jill tina kristen
    courtney monica sherry sue erica melanie vanessa renee jasmine veronica ava mia chloe ella lily zoe leah
    hailey brooke allison shannon stacy tracy dawn holly alyssa kristin jamie jenna caroline anne claire lucy
    sean liam oliver elias hugo leo max felix paul lukas jan tim finn anton moritz sophie marie laura hanna lea lena
    ali mohamed mohammed ahmed omar hassan fatima aisha yusuf ibrahim wei li ming hui jun yan hong mei""".split()
)
WESTERN_LAST_NAMES: frozenset[str] = frozenset(
    """smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson
    anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson
    walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell
    mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales
    murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson
    watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long
    ross foster jimenez powell jenkins perry russell sullivan bell coleman butler henderson barnes gonzales fisher
    vasquez simmons romero jordan patterson alexander hamilton graham reynolds griffin wallace moreno west cole hayes
    bryant herrera gibson ellis tran medina aguilar stevens murray ford castro marshall owens harrison fernandez
    mcdonald woods washington kennedy wells vargas henry chen freeman webb tucker guzman burns crawford olson simpson
    porter hunter gordon mendez silva shaw snyder mason dixon munoz hunt hicks holmes palmer wagner black robertson
    boyd rose stone salazar fox warren mills meyer rice schmidt garza daniels ferguson nichols stephens soto weaver
    ryan gardner payne grant dunn kelley spencer hawkins arnold pierce vazquez hansen peters santos hart bradley knight
    elliott cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray delgado berry perkins hoffman
    johnston matthews pena richards willis carpenter lawrence sandoval guerrero george chapman rios estrada ortega
    watkins greene nunez wheeler valdez harper burke larson santiago maldonado morrison franklin carlson austin
    dominguez carr lawson jacobs obrien lynch singh vega bishop montgomery oliver jensen harvey williamson gilbert
    dean sims espinoza howell li wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo zheng
    muller schneider fischer weber becker schulz koch richter klein wolf schroder neumann schwarz zimmermann braun""".split()
)
#: Words that make a capitalised pair a place, a company or a product rather than a person.
WESTERN_NON_NAME_WORDS: frozenset[str] = frozenset(
    """street st avenue ave road rd lane ln drive dr boulevard blvd court ct way place pl square park city county
    state new san santa los las fort port north south east west mount lake river beach hills valley island bay
    inc ltd llc corp co company group bank insurance services service estate real retail trade trading holdings
    university college school hospital center centre store shop market mall airport station office department
    general public private limited international national global financial finance credit loan mortgage""".split()
)
#: Street suffixes of Western addresses (``12 Baker Street``, ``8667 Johnson Viaduct``).
WESTERN_STREET_SUFFIXES: tuple[str, ...] = tuple(
    """street st avenue ave road rd lane ln drive dr boulevard blvd court ct way place pl square sq terrace
    parkway pkwy highway hwy circle cir trail trl crescent close alley row plaza viaduct crossing junction
    path pike loop run ridge view walk heights gardens grove mews hill""".split()
)
#: Places that have a name's shape (a surname and a given-name character): provinces, regions, cities.
CN_PLACE_NAMES: frozenset[str] = frozenset(
    """北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 海南 重庆 四川
    贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门 华北 华东 华中 华南 西南 西北 东北 沈阳 宁波 林芝 周口 黄山
    张家口 马鞍山 江门 长沙 长春 武汉 南京 南昌 南宁 合肥 昆明 贵阳 成都 西安 兰州 西宁 银川 太原 石家庄 济南 郑州 杭州
    福州 广州 深圳 珠海 汕头 厦门 青岛 大连 苏州 无锡 常州 温州 金华 嘉兴 绍兴 台州 徐州 扬州 镇江 泰州 盐城 淮安 连云港
    宿迁 南通 东莞 佛山 中山 惠州 江门 湛江 茂名 肇庆 梅州 清远 韶关 揭阳 潮州 云浮 阳江 河源 汕尾 洛阳 开封 安阳 新乡
    许昌 平顶山 焦作 商丘 信阳 南阳 驻马店 黄石 宜昌 襄阳 荆州 岳阳 常德 衡阳 株洲 湘潭 邵阳 益阳 娄底 郴州 永州 怀化
    吉安 赣州 九江 景德镇 上饶 宜春 抚州 鹰潭 萍乡 新余 白山 白城 四平 通化 松原 辽源 延边 齐齐哈尔 牡丹江 佳木斯 大庆
    鸡西 鹤岗 双鸭山 伊春 七台河 黑河 绥化 包头 鄂尔多斯 呼和浩特 赤峰 通辽 乌海 秦皇岛 唐山 邯郸 邢台 保定 承德 沧州
    廊坊 衡水 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁 马山 文山 红河 楚雄 大理 丽江 保山 曲靖 玉溪 昭通 普洱
    临沧 宝鸡 咸阳 渭南 汉中 安康 商洛 延安 榆林 铜川 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 金昌 白银 海东 石嘴山 吴忠
    固原 中卫 克拉玛依 吐鲁番 哈密 喀什 和田 阿克苏 伊犁 塔城 阿勒泰 博尔塔拉 拉萨 日喀则 昌都 山南 那曲 阿里 三亚 海口
    儋州 柳州 桂林 梧州 北海 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左 防城港 遵义 六盘水 安顺 毕节 铜仁 绵阳 德阳 自贡
    攀枝花 泸州 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳""".split()
)
