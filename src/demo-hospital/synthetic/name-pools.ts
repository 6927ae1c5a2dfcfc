/**
 * Name pools with hand-checked pinyin, so the generator needs no pinyin library and the
 * romanisation is right for surnames with special readings (曾 Zeng, 单 Shan, 解 Xie).
 */
export interface ChineseNamePart {
  hanzi: string;
  pinyin: string;
}

export const CHINESE_SURNAMES: readonly ChineseNamePart[] = [
  { hanzi: '王', pinyin: 'Wang' },
  { hanzi: '李', pinyin: 'Li' },
  { hanzi: '刘', pinyin: 'Liu' },
  { hanzi: '陈', pinyin: 'Chen' },
  { hanzi: '杨', pinyin: 'Yang' },
  { hanzi: '赵', pinyin: 'Zhao' },
  { hanzi: '黄', pinyin: 'Huang' },
  { hanzi: '周', pinyin: 'Zhou' },
  { hanzi: '吴', pinyin: 'Wu' },
  { hanzi: '徐', pinyin: 'Xu' },
  { hanzi: '曾', pinyin: 'Zeng' },
  { hanzi: '单', pinyin: 'Shan' },
  { hanzi: '解', pinyin: 'Xie' },
  { hanzi: '欧阳', pinyin: 'Ouyang' },
];

export const CHINESE_GIVEN_NAMES: Record<'male' | 'female', readonly ChineseNamePart[]> = {
  male: [
    { hanzi: '强', pinyin: 'Qiang' },
    { hanzi: '磊', pinyin: 'Lei' },
    { hanzi: '洋', pinyin: 'Yang' },
    { hanzi: '国华', pinyin: 'Guohua' },
    { hanzi: '建军', pinyin: 'Jianjun' },
    { hanzi: '志明', pinyin: 'Zhiming' },
    { hanzi: '海涛', pinyin: 'Haitao' },
    { hanzi: '俊杰', pinyin: 'Junjie' },
  ],
  female: [
    { hanzi: '芳', pinyin: 'Fang' },
    { hanzi: '娜', pinyin: 'Na' },
    { hanzi: '静', pinyin: 'Jing' },
    { hanzi: '敏', pinyin: 'Min' },
    { hanzi: '秀英', pinyin: 'Xiuying' },
    { hanzi: '丽华', pinyin: 'Lihua' },
    { hanzi: '晓燕', pinyin: 'Xiaoyan' },
    { hanzi: '雪梅', pinyin: 'Xuemei' },
  ],
};

export const ENGLISH_NAMES: Record<'male' | 'female', readonly { given: string; family: string }[]> = {
  male: [
    { given: 'John', family: 'Smith' },
    { given: 'David', family: 'Miller' },
    { given: 'Michael', family: 'Brown' },
  ],
  female: [
    { given: 'Emily', family: 'Johnson' },
    { given: 'Sarah', family: 'Wilson' },
    { given: 'Laura', family: 'Taylor' },
  ],
};

/** Real county-level area codes (GB/T 2260) used in generated 身份证 numbers and addresses. */
export const AREAS: readonly { code: string; city: string; district: string }[] = [
  { code: '110101', city: '北京市', district: '东城区' },
  { code: '310104', city: '上海市', district: '徐汇区' },
  { code: '440106', city: '广州市', district: '天河区' },
  { code: '510104', city: '成都市', district: '锦江区' },
  { code: '330106', city: '杭州市', district: '西湖区' },
  { code: '420106', city: '武汉市', district: '武昌区' },
];
