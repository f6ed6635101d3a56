package io.poolwatch.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every local link a page makes: href, src, action and hx-get attributes. */
final class Links {

    private static final Pattern ATTRIBUTE = Pattern.compile("\\s(?:href|src|action|hx-get)=\"([^\"]*)\"");

    private Links() {
    }

    static List<String> of(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = ATTRIBUTE.matcher(html);
        while (m.find()) {
            String link = m.group(1);
            if (!link.startsWith("http:") && !link.startsWith("https:")) {
                out.add(link);
            }
        }
        return out;
    }
}
