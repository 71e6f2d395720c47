package dev.mpq.sensitivity.calibration;

import dev.mpq.sensitivity.profile.JsonText;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's WordPiece tokenizer as a Hugging Face {@code tokenizer.json} describes it (model type
 * WordPiece, BertNormalizer, BertPreTokenizer): clean the text, lower-case and strip accents when
 * the normalizer says so, split on whitespace and punctuation (CJK characters alone), then split
 * each word greedily into the longest vocabulary pieces ("##" for continuations, [UNK] when a word
 * cannot be split or exceeds 100 characters), and wrap in [CLS] ... [SEP].
 */
public final class WordPieceTokenizer {

    private final Map<String, Integer> vocab;
    private final boolean lowercase;
    private final String prefix;
    private final int unk;
    private final int cls;
    private final int sep;
    private final int maxCharsPerWord;

    private WordPieceTokenizer(Map<String, Integer> vocab, boolean lowercase, String prefix, String unk, int maxChars) {
        this.vocab = vocab;
        this.lowercase = lowercase;
        this.prefix = prefix;
        this.unk = id(unk);
        this.cls = id("[CLS]");
        this.sep = id("[SEP]");
        this.maxCharsPerWord = maxChars;
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("The tokenizer's vocabulary has no %s token.".formatted(token));
        }
        return id;
    }

    /** Reads a tokenizer.json whose model is WordPiece. */
    @SuppressWarnings("unchecked")
    public static WordPieceTokenizer fromJson(String json) {
        Object root = JsonText.parse(json);
        if (!(root instanceof Map<?, ?> map) || !(map.get("model") instanceof Map<?, ?> model)) {
            throw new IllegalArgumentException("Not a tokenizer.json: no \"model\" object.");
        }
        if (!"WordPiece".equals(model.get("type"))) {
            throw new IllegalArgumentException(
                    "Tokenizer model type is %s; only WordPiece is supported.".formatted(model.get("type")));
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) model.get("vocab")).entrySet()) {
            vocab.put(e.getKey(), ((Double) e.getValue()).intValue());
        }
        boolean lowercase = true;
        if (map.get("normalizer") instanceof Map<?, ?> normalizer && normalizer.get("lowercase") instanceof Boolean b) {
            lowercase = b;
        }
        String prefix = model.get("continuing_subword_prefix") instanceof String s ? s : "##";
        String unk = model.get("unk_token") instanceof String s ? s : "[UNK]";
        int maxChars = model.get("max_input_chars_per_word") instanceof Double d ? d.intValue() : 100;
        return new WordPieceTokenizer(vocab, lowercase, prefix, unk, maxChars);
    }

    /** Token ids of one text: [CLS] pieces [SEP], at most {@code maxLength} ids. */
    public long[] encode(String text, int maxLength) {
        List<Integer> ids = new ArrayList<>();
        ids.add(cls);
        for (String word : basicTokens(text)) {
            ids.addAll(wordPieces(word));
        }
        if (ids.size() > maxLength - 1) {
            ids = new ArrayList<>(ids.subList(0, maxLength - 1));
        }
        ids.add(sep);
        return ids.stream().mapToLong(Integer::longValue).toArray();
    }

    /** Whitespace and punctuation split after cleaning and normalisation. */
    List<String> basicTokens(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0 || cp == 0xfffd || (Character.isISOControl(cp) && !Character.isWhitespace(cp))) {
                continue;
            }
            if (Character.isWhitespace(cp) || Character.getType(cp) == Character.SPACE_SEPARATOR) {
                clean.append(' ');
            } else if (isCjk(cp)) {
                clean.append(' ').appendCodePoint(cp).append(' ');
            } else {
                clean.appendCodePoint(cp);
            }
        }
        String s = clean.toString();
        if (lowercase) {
            s = Normalizer.normalize(s.toLowerCase(java.util.Locale.ROOT), Normalizer.Form.NFD)
                    .replaceAll("\\p{Mn}", "");
        }
        List<String> tokens = new ArrayList<>();
        for (String piece : s.trim().split(" +")) {
            if (piece.isEmpty()) {
                continue;
            }
            StringBuilder current = new StringBuilder();
            for (int i = 0; i < piece.length(); ) {
                int cp = piece.codePointAt(i);
                i += Character.charCount(cp);
                if (isPunctuation(cp)) {
                    if (current.length() > 0) {
                        tokens.add(current.toString());
                        current.setLength(0);
                    }
                    tokens.add(new String(Character.toChars(cp)));
                } else {
                    current.appendCodePoint(cp);
                }
            }
            if (current.length() > 0) {
                tokens.add(current.toString());
            }
        }
        return tokens;
    }

    private List<Integer> wordPieces(String word) {
        if (word.codePointCount(0, word.length()) > maxCharsPerWord) {
            return List.of(unk);
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (start < end) {
                String sub = (start > 0 ? prefix : "") + word.substring(start, end);
                found = vocab.get(sub);
                if (found != null) {
                    break;
                }
                end--;
            }
            if (found == null) {
                return List.of(unk);
            }
            pieces.add(found);
            start = end;
        }
        return pieces;
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.CONNECTOR_PUNCTUATION
                || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B81F)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
