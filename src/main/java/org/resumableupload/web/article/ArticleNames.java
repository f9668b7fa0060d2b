package org.resumableupload.web.article;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.resumableupload.core.FileNames;

/** The file name of an article upload, from {@code X-File-Name} or the client's file id. */
final class ArticleNames {
    // The article's client id: name-size-lastModified.
    private static final Pattern ARTICLE_ID = Pattern.compile("(.+)-\\d+-\\d+");

    private ArticleNames() {
    }

    /**
     * {@code clientName} if given, else the name part of an article-style id
     * ({@code name-size-lastModified}), else the id itself; then sanitized ({@link FileNames#sanitize}).
     */
    static String forUpload(String clientName, String clientFileId) {
        if (clientName != null && !clientName.isBlank()) {
            return FileNames.sanitize(clientName);
        }
        Matcher article = ARTICLE_ID.matcher(clientFileId);
        return FileNames.sanitize(article.matches() ? article.group(1) : clientFileId);
    }
}
