/**
 * Name material for the evaluation set, with hand-written pinyin (so the set does not depend on
 * the pinyin library the matcher uses) and homophone groups: characters with the same tone-less
 * reading, which input methods swap for one another.
 */
export interface Syllable {
  pinyin: string;
  male: readonly string[];
  female: readonly string[];
}

export const SURNAMES: ReadonlyArray<{ han: string; pinyin: string; homophones?: readonly string[]; variants?: readonly string[] }> = [
  { han: '王', pinyin: 'Wang', homophones: ['汪'], variants: ['Wong'] },
  { han: '李', pinyin: 'Li', homophones: ['黎'], variants: ['Lee'] },
  { han: '张', pinyin: 'Zhang', homophones: ['章'], variants: ['Cheung', 'Chang'] },
  { han: '刘', pinyin: 'Liu', homophones: ['柳'], variants: ['Lau'] },
  { han: '陈', pinyin: 'Chen', variants: ['Chan'] },
  { han: '杨', pinyin: 'Yang', homophones: ['阳'], variants: ['Yeung'] },
  { han: '黄', pinyin: 'Huang', variants: ['Wong'] },
  { han: '赵', pinyin: 'Zhao', variants: ['Chiu'] },
  { han: '吴', pinyin: 'Wu', homophones: ['伍', '武'], variants: ['Ng'] },
  { han: '周', pinyin: 'Zhou', variants: ['Chow'] },
  { han: '徐', pinyin: 'Xu', homophones: ['许'], variants: ['Hsu'] },
  { han: '孙', pinyin: 'Sun' },
  { han: '马', pinyin: 'Ma' },
  { han: '朱', pinyin: 'Zhu', variants: ['Chu'] },
  { han: '胡', pinyin: 'Hu', variants: ['Wu'] },
  { han: '郭', pinyin: 'Guo', variants: ['Kwok'] },
  { han: '何', pinyin: 'He', variants: ['Ho'] },
  { han: '林', pinyin: 'Lin', variants: ['Lam'] },
  { han: '罗', pinyin: 'Luo', variants: ['Law'] },
  { han: '梁', pinyin: 'Liang', variants: ['Leung'] },
  { han: '谢', pinyin: 'Xie', variants: ['Tse'] },
  { han: '郑', pinyin: 'Zheng', variants: ['Cheng'] },
  { han: '蔡', pinyin: 'Cai', variants: ['Tsai'] },
  { han: '曾', pinyin: 'Zeng', homophones: ['增'], variants: ['Tsang'] },
  { han: '单', pinyin: 'Shan' },
  { han: '解', pinyin: 'Xie' },
  { han: '吕', pinyin: 'Lv', variants: ['Lu', 'Lyu'] },
  { han: '高', pinyin: 'Gao' },
  { han: '宋', pinyin: 'Song' },
  { han: '唐', pinyin: 'Tang' },
  { han: '欧阳', pinyin: 'Ouyang', variants: ['Auyeung'] },
  { han: '司马', pinyin: 'Sima' },
];

export const GIVEN_SYLLABLES: readonly Syllable[] = [
  { pinyin: 'Wei', male: ['伟', '威', '炜', '玮'], female: ['薇', '微'] },
  { pinyin: 'Qiang', male: ['强'], female: ['蔷'] },
  { pinyin: 'Lei', male: ['磊', '雷'], female: ['蕾'] },
  { pinyin: 'Jun', male: ['军', '君', '俊'], female: ['珺'] },
  { pinyin: 'Ming', male: ['明', '鸣', '铭'], female: ['茗'] },
  { pinyin: 'Hua', male: ['华', '桦'], female: ['花'] },
  { pinyin: 'Jie', male: ['杰'], female: ['洁', '婕'] },
  { pinyin: 'Tao', male: ['涛', '韬'], female: [] },
  { pinyin: 'Yong', male: ['勇', '永'], female: [] },
  { pinyin: 'Gang', male: ['刚', '钢'], female: [] },
  { pinyin: 'Hao', male: ['浩', '昊', '皓'], female: [] },
  { pinyin: 'Bin', male: ['斌', '彬'], female: [] },
  { pinyin: 'Peng', male: ['鹏'], female: [] },
  { pinyin: 'Jian', male: ['建', '健', '剑'], female: [] },
  { pinyin: 'Guo', male: ['国'], female: [] },
  { pinyin: 'Dong', male: ['东', '冬'], female: [] },
  { pinyin: 'Hai', male: ['海'], female: [] },
  { pinyin: 'Long', male: ['龙', '隆'], female: [] },
  { pinyin: 'Bo', male: ['波', '博'], female: [] },
  { pinyin: 'Chao', male: ['超'], female: [] },
  { pinyin: 'Hui', male: ['辉'], female: ['慧', '惠'] },
  { pinyin: 'Xin', male: ['鑫', '新'], female: ['欣', '馨'] },
  { pinyin: 'Yu', male: ['宇'], female: ['雨', '玉'] },
  { pinyin: 'Fei', male: ['飞'], female: ['菲'] },
  { pinyin: 'Kai', male: ['凯', '楷'], female: [] },
  { pinyin: 'Zhi', male: ['志'], female: ['芝'] },
  { pinyin: 'Fang', male: [], female: ['芳', '方'] },
  { pinyin: 'Na', male: [], female: ['娜', '纳'] },
  { pinyin: 'Jing', male: [], female: ['静', '晶', '婧'] },
  { pinyin: 'Li', male: [], female: ['丽', '莉', '立'] },
  { pinyin: 'Min', male: [], female: ['敏', '民'] },
  { pinyin: 'Yan', male: [], female: ['燕', '艳', '雁'] },
  { pinyin: 'Xia', male: [], female: ['霞', '侠'] },
  { pinyin: 'Hong', male: ['宏'], female: ['红', '虹'] },
  { pinyin: 'Ping', male: ['平'], female: ['萍'] },
  { pinyin: 'Ying', male: [], female: ['英', '瑛', '颖'] },
  { pinyin: 'Lin', male: ['林'], female: ['琳', '霖'] },
  { pinyin: 'Xiu', male: [], female: ['秀'] },
  { pinyin: 'Mei', male: [], female: ['梅', '美', '玫'] },
  { pinyin: 'Lan', male: [], female: ['兰', '岚'] },
  { pinyin: 'Qing', male: [], female: ['青', '清', '晴'] },
  { pinyin: 'Yun', male: [], female: ['云', '芸'] },
  { pinyin: 'Ting', male: [], female: ['婷', '亭'] },
  { pinyin: 'Juan', male: [], female: ['娟'] },
];

/** Names so common that many different people share them (张伟 alone names ~300,000 people). */
export const COMMON_NAMES: ReadonlyArray<{ family: string; given: string[]; sex: 'male' | 'female' }> = [
  { family: '张', given: ['伟'], sex: 'male' },
  { family: '王', given: ['伟'], sex: 'male' },
  { family: '李', given: ['伟'], sex: 'male' },
  { family: '刘', given: ['伟'], sex: 'male' },
  { family: '王', given: ['芳'], sex: 'female' },
  { family: '李', given: ['娜'], sex: 'female' },
  { family: '张', given: ['敏'], sex: 'female' },
  { family: '李', given: ['静'], sex: 'female' },
  { family: '王', given: ['静'], sex: 'female' },
  { family: '王', given: ['秀', '英'], sex: 'female' },
];

export const CITIES: ReadonlyArray<{ city: string; districts: readonly string[]; area: string }> = [
  { city: '北京市', districts: ['朝阳区', '海淀区', '东城区', '西城区'], area: '110105' },
  { city: '上海市', districts: ['浦东新区', '徐汇区', '黄浦区'], area: '310104' },
  { city: '广州市', districts: ['天河区', '越秀区', '海珠区'], area: '440106' },
  { city: '成都市', districts: ['武侯区', '锦江区', '青羊区'], area: '510107' },
  { city: '杭州市', districts: ['西湖区', '上城区', '拱墅区'], area: '330106' },
  { city: '武汉市', districts: ['江岸区', '武昌区', '洪山区'], area: '420102' },
];

export const STREETS: readonly string[] = [
  '建国路',
  '中山路',
  '人民路',
  '解放路',
  '和平街',
  '长安街',
  '南京路',
  '学府路',
  '滨江大道',
  '东风路',
  '文化路',
  '青年路',
];
